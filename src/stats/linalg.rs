//! Small dense linear algebra for correlation matrices.

/// Cholesky factor of a positive semi-definite matrix (row-major), or `None` if it is not PSD.
/// Zero pivots (singular but PSD matrices, such as rho = 1) are accepted.
pub fn cholesky_psd(a: &[f64], m: usize) -> Option<Vec<f64>> {
    const EPS: f64 = 1e-10;
    let mut l = vec![0.0; m * m];
    for j in 0..m {
        let mut d = a[j * m + j];
        for k in 0..j {
            d -= l[j * m + k] * l[j * m + k];
        }
        if d < -EPS {
            return None;
        }
        let djj = if d > EPS { d.sqrt() } else { 0.0 };
        l[j * m + j] = djj;
        for i in (j + 1)..m {
            let mut s = a[i * m + j];
            for k in 0..j {
                s -= l[i * m + k] * l[j * m + k];
            }
            if djj > 0.0 {
                l[i * m + j] = s / djj;
            } else if s.abs() > 1e-8 {
                return None;
            }
        }
    }
    Some(l)
}
