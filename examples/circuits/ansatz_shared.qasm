OPENQASM 3.0;
include "stdgates.inc";
// a hand-written two-qubit ansatz with a shared angle and a linear expression:
//   qnnsym import examples/circuits/ansatz_shared.qasm --observable '{"pauli": [["1", "Z0 Z1"], ["1", "X0"]]}' \
//       --objective energy -o a.json
input angle a;
input angle b;
qubit[2] q;
h q[0];
ry(a) q[0];
ry(a) q[1];
cx q[0], q[1];
rx(2*b - a) q[1];
