OPENQASM 3.0;
include "stdgates.inc";
// a two-qubit ansatz with three trainable angles (README: qnnsym import ansatz.qasm --data data.json)
input angle t0;
input angle t1;
input angle t2;
qubit[2] q;
ry(t0) q[0];
cx q[0], q[1];
rx(t1) q[1];
ry(t2) q[1];
