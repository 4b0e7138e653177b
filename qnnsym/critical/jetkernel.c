/* Value and derivatives (order <= 2) of one real polynomial at complex points: the compiled tracking kernel of
 * qnnsym.critical.jetkernel (docs/math.md "Tracking").  Untrusted floats, for path tracking only.
 *
 * The coefficient tensor A (axes K[0..p-1], C order) is contracted one axis at a time, the last axis first,
 * carrying only the derivative slots that are needed: after contracting axes j..p-1 a slot is a multi-index of
 * derivative orders in those axes with total <= order.  Level `lev` contracts axis p-1-lev; its ntrip[lev]
 * triples (out slot, in slot, derivative order in the axis) come from the Python plan, and nslots[lev] slots
 * leave it.  LANES points are processed at once, one per lane of a GCC vector (complex numbers as separate
 * real and imaginary vectors), so that every multiply-add is a SIMD one.
 *
 * Buffers (from the caller, 64-byte aligned):
 *   w      : p * (order + 1) * Kmax * 2 vectors, the powers x_j^k and their derivatives;
 *   work0/1: max over levels of nslots * (rows left) * 2 vectors each.
 * Output: out[n * nslots[p-1] + s] (complex, interleaved) for point n and final slot s.
 */
#include <math.h>
#include <stddef.h>

#define LANES 8
typedef double vd __attribute__((vector_size(LANES * sizeof(double))));

void qnnsym_loss_jet(int p, const int *K, int Kmax, const double *A, int N, const double *x, int order,
                     const int *ntrip, const int *trip, const int *nslots, double *out, vd *w, vd *work0, vd *work1)
{
#define W(j, o, k, c) w[(((size_t)(j) * (order + 1) + (o)) * Kmax + (k)) * 2 + (c)]
    for (int n0 = 0; n0 < N; n0 += LANES) {
        int nl = N - n0 < LANES ? N - n0 : LANES;
        for (int j = 0; j < p; j++) {
            vd xr, xi;
            for (int l = 0; l < LANES; l++) {
                xr[l] = l < nl ? x[2 * ((size_t)(n0 + l) * p + j)] : 0.0;
                xi[l] = l < nl ? x[2 * ((size_t)(n0 + l) * p + j) + 1] : 0.0;
            }
            vd zero = xr * 0.0, pr = zero + 1.0, pi = zero;
            for (int k = 0; k < K[j]; k++) {
                W(j, 0, k, 0) = pr;
                W(j, 0, k, 1) = pi;
                vd t = pr * xr - pi * xi;
                pi = pr * xi + pi * xr;
                pr = t;
            }
            for (int o = 1; o <= order; o++)
                for (int k = 0; k < K[j]; k++) {
                    double f = 1.0;
                    for (int i = 0; i < o; i++)
                        f *= (double)(k - i);
                    W(j, o, k, 0) = k < o ? zero : f * W(j, 0, k - o, 0);
                    W(j, o, k, 1) = k < o ? zero : f * W(j, 0, k - o, 1);
                }
        }
        /* levels 0 and 1 fused: per row left after level 1, the last axis against the real coefficients for
           its K[p-2] children (into `loc`, in L1), then the second-last axis; with p = 1, level 0 alone */
        size_t R = 1;
        for (int j = 0; j < p - 1; j++)
            R *= (size_t)K[j];
        int j = p - 1, Kj = K[j];
        const int *tr = trip;
        vd *in = work0, *nx = work1;
        int first = p > 1 ? 2 : 1, K1 = p > 1 ? K[p - 2] : 1;
        size_t R1 = R / (size_t)K1;
        const int *tr1 = trip + 3 * ntrip[0];
        for (size_t r1 = 0; r1 < R1; r1++) {
            vd loc[3 * 16 * 2];
            for (int k1 = 0; k1 < K1; k1++) {
                const double *a = A + (r1 * K1 + k1) * Kj;
                for (int t = 0; t < ntrip[0]; t++) {
                    int os = tr[3 * t], od = tr[3 * t + 2];
                    vd ar = a[0] * W(j, od, 0, 0), ai = a[0] * W(j, od, 0, 1);
                    for (int k = 1; k < Kj; k++) {
                        ar += a[k] * W(j, od, k, 0);
                        ai += a[k] * W(j, od, k, 1);
                    }
                    vd *dst = p > 1 ? loc + ((size_t)os * K1 + k1) * 2 : in + ((size_t)os * R + r1) * 2;
                    dst[0] = ar;
                    dst[1] = ai;
                }
            }
            if (p == 1)
                continue;
            int j1 = p - 2;
            for (int t = 0; t < ntrip[1]; t++) {
                int os = tr1[3 * t], is = tr1[3 * t + 1], od = tr1[3 * t + 2];
                const vd *s = loc + (size_t)is * K1 * 2;
                vd wr = W(j1, od, 0, 0), wi = W(j1, od, 0, 1);
                vd ar = s[0] * wr - s[1] * wi, ai = s[0] * wi + s[1] * wr;
                for (int k = 1; k < K1; k++) {
                    wr = W(j1, od, k, 0);
                    wi = W(j1, od, k, 1);
                    ar += s[2 * k] * wr - s[2 * k + 1] * wi;
                    ai += s[2 * k] * wi + s[2 * k + 1] * wr;
                }
                in[((size_t)os * R1 + r1) * 2] = ar;
                in[((size_t)os * R1 + r1) * 2 + 1] = ai;
            }
        }
        tr += 3 * ntrip[0];
        if (p > 1) {
            tr += 3 * ntrip[1];
            R = R1;
        }
        /* the other axes, complex slots against complex powers */
        for (int lev = first; lev < p; lev++) {
            j = p - 1 - lev;
            Kj = K[j];
            size_t Rin = R;
            R /= (size_t)Kj;
            for (size_t r = 0; r < R; r++)
                for (int t = 0; t < ntrip[lev]; t++) {
                    int os = tr[3 * t], is = tr[3 * t + 1], od = tr[3 * t + 2];
                    const vd *s = in + ((size_t)is * Rin + r * Kj) * 2;
                    vd wr = W(j, od, 0, 0), wi = W(j, od, 0, 1);
                    vd ar = s[0] * wr - s[1] * wi, ai = s[0] * wi + s[1] * wr;
                    for (int k = 1; k < Kj; k++) {
                        wr = W(j, od, k, 0);
                        wi = W(j, od, k, 1);
                        ar += s[2 * k] * wr - s[2 * k + 1] * wi;
                        ai += s[2 * k] * wi + s[2 * k + 1] * wr;
                    }
                    nx[((size_t)os * R + r) * 2] = ar;
                    nx[((size_t)os * R + r) * 2 + 1] = ai;
                }
            tr += 3 * ntrip[lev];
            vd *tmp = in;
            in = nx;
            nx = tmp;
        }
        int S = nslots[p - 1];
        for (int l = 0; l < nl; l++)
            for (int s = 0; s < S; s++) {
                out[2 * ((size_t)(n0 + l) * S + s)] = in[(size_t)s * 2][l];
                out[2 * ((size_t)(n0 + l) * S + s) + 1] = in[(size_t)s * 2 + 1][l];
            }
    }
#undef W
}

/* The start system G_l(x) = prod_j (x_j^e[l,j] - b[l,j]) (a factor 1 where e[l,j] = 0) and its Jacobian at N
 * complex points x (N x p, interleaved): G (N x p) and JG (N x p x p), complex interleaved.  Prefix and suffix
 * products, no division (a start point zeroes one factor per equation). */
void qnnsym_start_jet(int p, int N, const int *e, const double *b, const double *x, double *G, double *JG)
{
    double qr[32], qi[32], dr[32], di[32], pr[33], pi[33], sr[33], si[33];
    for (int n = 0; n < N; n++) {
        const double *xn = x + 2 * (size_t)n * p;
        for (int l = 0; l < p; l++) {
            for (int j = 0; j < p; j++) {
                int ej = e[l * p + j];
                double xr = xn[2 * j], xi = xn[2 * j + 1], ar = 1.0, ai = 0.0, br = 1.0, bi = 0.0;
                for (int k = 0; k < ej; k++) {      /* a = x^ej, b = x^(ej-1) */
                    br = ar; bi = ai;
                    double t = ar * xr - ai * xi;
                    ai = ar * xi + ai * xr;
                    ar = t;
                }
                if (ej == 0) {
                    qr[j] = 1.0; qi[j] = 0.0; dr[j] = 0.0; di[j] = 0.0;
                } else {
                    qr[j] = ar - b[2 * (l * p + j)]; qi[j] = ai - b[2 * (l * p + j) + 1];
                    dr[j] = ej * br; di[j] = ej * bi;
                }
            }
            pr[0] = 1.0; pi[0] = 0.0;
            for (int j = 0; j < p; j++) {
                pr[j + 1] = pr[j] * qr[j] - pi[j] * qi[j];
                pi[j + 1] = pr[j] * qi[j] + pi[j] * qr[j];
            }
            sr[p] = 1.0; si[p] = 0.0;
            for (int j = p - 1; j >= 0; j--) {
                sr[j] = sr[j + 1] * qr[j] - si[j + 1] * qi[j];
                si[j] = sr[j + 1] * qi[j] + si[j + 1] * qr[j];
            }
            G[2 * ((size_t)n * p + l)] = pr[p];
            G[2 * ((size_t)n * p + l) + 1] = pi[p];
            for (int j = 0; j < p; j++) {
                double mr = pr[j] * sr[j + 1] - pi[j] * si[j + 1], mi = pr[j] * si[j + 1] + pi[j] * sr[j + 1];
                double *out = JG + 2 * (((size_t)n * p + l) * p + j);
                out[0] = dr[j] * mr - di[j] * mi;
                out[1] = dr[j] * mi + di[j] * mr;
            }
        }
    }
}

/* Gauss-Jordan elimination with partial pivoting of N complex p x p matrices A (interleaved, p <= 32) against
 * m right-hand columns B (N x p x m): B is overwritten by A^-1 B (m = p with B = I: the inverse).  A matrix
 * with a zero pivot gives NaN (its path's step is then rejected, as numpy's LinAlgError is handled). */
void qnnsym_gauss_jordan(int p, int N, int m, const double *A, double *B)
{
    double ar[32 * 32], ai[32 * 32];
    for (int n = 0; n < N; n++) {
        const double *An = A + 2 * (size_t)n * p * p;
        double *Bn = B + 2 * (size_t)n * p * m;
        for (int i = 0; i < p * p; i++) {
            ar[i] = An[2 * i];
            ai[i] = An[2 * i + 1];
        }
        int singular = 0;
        for (int c = 0; c < p && !singular; c++) {
            int r = c;
            double best = ar[c * p + c] * ar[c * p + c] + ai[c * p + c] * ai[c * p + c];
            for (int i = c + 1; i < p; i++) {
                double v = ar[i * p + c] * ar[i * p + c] + ai[i * p + c] * ai[i * p + c];
                if (v > best) { best = v; r = i; }
            }
            if (!(best > 0.0)) { singular = 1; break; }        /* zero (or NaN) pivot */
            if (r != c) {
                for (int j = 0; j < p; j++) {
                    double t = ar[r * p + j]; ar[r * p + j] = ar[c * p + j]; ar[c * p + j] = t;
                    t = ai[r * p + j]; ai[r * p + j] = ai[c * p + j]; ai[c * p + j] = t;
                }
                for (int j = 0; j < 2 * m; j++) {
                    double t = Bn[2 * r * m + j]; Bn[2 * r * m + j] = Bn[2 * c * m + j]; Bn[2 * c * m + j] = t;
                }
            }
            /* scale row c by 1 / pivot (scaled, so that |pivot|^2 cannot overflow) */
            double s = fabs(ar[c * p + c]) > fabs(ai[c * p + c]) ? fabs(ar[c * p + c]) : fabs(ai[c * p + c]);
            double pr = ar[c * p + c] / s, pi = ai[c * p + c] / s, d = s * (pr * pr + pi * pi);
            double ir = pr / d, ii = -pi / d;
            for (int j = 0; j < p; j++) {
                double xr = ar[c * p + j], xi = ai[c * p + j];
                ar[c * p + j] = xr * ir - xi * ii;
                ai[c * p + j] = xr * ii + xi * ir;
            }
            for (int j = 0; j < m; j++) {
                double xr = Bn[2 * (c * m + j)], xi = Bn[2 * (c * m + j) + 1];
                Bn[2 * (c * m + j)] = xr * ir - xi * ii;
                Bn[2 * (c * m + j) + 1] = xr * ii + xi * ir;
            }
            for (int i = 0; i < p; i++) {
                if (i == c)
                    continue;
                double fr = ar[i * p + c], fi = ai[i * p + c];
                if (fr == 0.0 && fi == 0.0)
                    continue;
                for (int j = 0; j < p; j++) {
                    double xr = ar[c * p + j], xi = ai[c * p + j];
                    ar[i * p + j] -= fr * xr - fi * xi;
                    ai[i * p + j] -= fr * xi + fi * xr;
                }
                for (int j = 0; j < m; j++) {
                    double xr = Bn[2 * (c * m + j)], xi = Bn[2 * (c * m + j) + 1];
                    Bn[2 * (i * m + j)] -= fr * xr - fi * xi;
                    Bn[2 * (i * m + j) + 1] -= fr * xi + fi * xr;
                }
            }
        }
        if (singular)
            for (int j = 0; j < 2 * p * m; j++)
                Bn[j] = NAN;
    }
}

/* The cleared gradient system of the tan-form loss and its Jacobian from the loss's jet (the final slots of
 * qnnsym_loss_jet, N x S, value at slot v0, gradient at gi[k], Hessian at hi[l*p+k]):
 *   F_l = c_l((1 + t_l^2) dL_l - 2 D_l t_l L),
 *   dF_l/dt_k = c_l((1 + t_l^2) d2L_lk - 2 D_l t_l dL_k) + [l = k] c_l(2 t_l dL_l - 2 D_l L)
 * (qnnsym.critical.homotopy.GradientTarget).  All complex interleaved; D real. */
void qnnsym_gradient_system(int p, int N, int S, const double _Complex *slots, int v0, const int *gi, const int *hi,
                            const double _Complex *t, const double _Complex *c, const double *D,
                            double _Complex *F, double _Complex *J)
{
    for (int n = 0; n < N; n++) {
        const double _Complex *s = slots + (size_t)n * S, *tn = t + (size_t)n * p;
        double _Complex v = s[v0];
        for (int l = 0; l < p; l++) {
            double _Complex tl = tn[l], c1 = c[l] * (1.0 + tl * tl), cD2 = 2.0 * D[l] * c[l], gl = s[gi[l]];
            double _Complex *Jl = J + ((size_t)n * p + l) * p;
            F[(size_t)n * p + l] = c1 * gl - cD2 * tl * v;
            for (int k = 0; k < p; k++)
                Jl[k] = c1 * s[hi[l * p + k]] - cD2 * tl * s[gi[k]];
            Jl[l] += 2.0 * c[l] * tl * gl - cD2 * v;
        }
    }
}
