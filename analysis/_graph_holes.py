"""Burt's constraint and effective size for every node, on sparse matrices.

networkx's per-node code takes about 35 ms a node on 2,000 stakeholders /
20,000 ties (70 s in all); its all-node matrix path for effective size builds a
dense n x n array (400 MB at 5,000 nodes). This version only ever touches
entries at existing ties and two-step paths. Tested against networkx to 1e-9.
"""

import numpy as np
import scipy.sparse as sp

__all__ = ["structural_holes"]

#: Two-step paths (entries of P @ P) held in memory at once: 2**21 entries is
#: about 25 MB of sparse data; rows are processed in blocks within it.
TWO_STEP_BUDGET = 1 << 21


def _scale_rows(M, factors):
    """Return ``diag(factors) @ M`` for a CSR array without forming the diagonal."""
    scaled = M.copy()
    scaled.data *= np.repeat(factors, np.diff(scaled.indptr))
    return scaled


def _row_blocks(pattern, degree):
    """Yield row slices whose two-step products stay within the memory budget."""
    two_step = np.cumsum(pattern @ degree)
    start, n = 0, pattern.shape[0]
    while start < n:
        spent = two_step[start - 1] if start else 0.0
        stop = int(np.searchsorted(two_step, spent + TWO_STEP_BUDGET, side="right"))
        stop = min(n, max(stop, start + 1))
        yield slice(start, stop)
        start = stop


def structural_holes(weights):
    """Return Burt's constraint and effective size of every node.

    Parameters
    ----------
    weights : scipy sparse array, shape (n, n)
        Symmetric, nonnegative tie strengths with an empty diagonal (the
        undirected view of the stakeholder graph).

    Returns
    -------
    constraint : numpy.ndarray
        Burt's aggregate constraint of each node; NaN for isolates.
    effective_size : numpy.ndarray
        Burt's effective size of each node's ego network; NaN for isolates.

    Notes
    -----
    With ``p_ij = w_ij / sum_q w_iq`` (the share of i's tie strength spent on
    j) and ``m_jq = w_jq / max_x w_jx`` (j's tie to q relative to j's strongest
    tie), Burt [1]_ defines, over i's neighbours N(i),

    * constraint ``c_i = sum_{j in N(i)} (p_ij + sum_q p_iq p_qj) ** 2``
    * effective size ``e_i = sum_{j in N(i)} (1 - sum_q p_iq m_jq)``.

    In matrix form, with A the 0/1 pattern of W, ``c = rowsum(((P + P @ P) o
    A) ** 2)`` and ``e = deg - rowsum(P o (A @ M))`` (``o``: entrywise
    product). Only entries on ties are kept, so the cost is the number of
    two-step paths rather than n**2. For unweighted ties the effective size
    reduces to Borgatti's ``n - 2t/n`` [2]_. Matches
    ``networkx.constraint(G, weight="weight")`` and
    ``networkx.effective_size(G, weight="weight")`` (whose normalised mutual
    weights equal ``p`` and ``m`` on an undirected graph).

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of
       Competition. Harvard University Press.
    .. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's
       redundancy measures. Connections 20(1), 35-38.

    Examples
    --------
    A star: the centre's four ties are all non-redundant; each leaf depends
    wholly on the centre.

    >>> import scipy.sparse as sp
    >>> star = sp.csr_array(([1.0] * 8, ([0, 0, 0, 0, 1, 2, 3, 4], [1, 2, 3, 4, 0, 0, 0, 0])))
    >>> constraint, effective_size = structural_holes(star)
    >>> constraint.tolist(), effective_size.tolist()
    ([0.25, 1.0, 1.0, 1.0, 1.0], [4.0, 1.0, 1.0, 1.0, 1.0])
    """
    W = sp.csr_array(weights, dtype=float, copy=True)  # cleaned below; keep the input
    W.eliminate_zeros()
    W.sort_indices()
    strength = W.sum(axis=1)
    isolated = strength == 0
    P = _scale_rows(W, 1.0 / np.where(isolated, 1.0, strength))
    strongest = W.max(axis=1).toarray().ravel()
    M = _scale_rows(W, 1.0 / np.where(isolated, 1.0, strongest))
    pattern = W.copy()
    pattern.data[:] = 1.0
    degree = np.diff(W.indptr).astype(float)

    constraint = np.empty(W.shape[0])
    redundancy = np.empty(W.shape[0])
    for rows in _row_blocks(pattern, degree):
        P_rows, pattern_rows = P[rows], pattern[rows]
        # (P @ P) kept only on i's own ties: i's indirect investment in j.
        local = P_rows + (P_rows @ P).multiply(pattern_rows)
        constraint[rows] = local.multiply(local).sum(axis=1)
        redundancy[rows] = P_rows.multiply(pattern_rows @ M).sum(axis=1)
    effective_size = degree - redundancy
    constraint[isolated] = np.nan
    effective_size[isolated] = np.nan
    return constraint, effective_size
