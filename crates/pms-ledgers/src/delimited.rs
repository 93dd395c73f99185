//! CSV and TSV ledgers read with the `csv` crate (after [`crate::encoding`]) into a
//! [`Grid`](crate::grid::Grid).
