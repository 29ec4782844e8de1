// Anchor: the ESD with ml-matrix, the usual pure-JavaScript linear algebra library.
// W: rows x cols (rows >= cols); Gram G = W^T W (cols x cols); eigenvalues of G by ml-matrix's
// EigenvalueDecomposition (Householder tridiagonalisation + QL, JAMA's algorithm, in float64; it
// always forms the eigenvectors too — the library has no eigenvalues-only mode).
import { Matrix, EigenvalueDecomposition } from 'ml-matrix';

export function makeMlMatrixEsd(W, rows, cols) {
  const M = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) M.set(i, j, W[i * cols + j]);
  let G = null;
  const gram = () => { G = M.transpose().mmul(M); return G; };
  const eig = () => {
    const evd = new EigenvalueDecomposition(G ?? gram(), { assumeSymmetric: true });
    return evd.realEigenvalues;
  };
  return { gram, eig, esd: () => { gram(); return eig(); } };
}
