//! Workbooks (`.xlsx`, `.xlsm`, `.ods`) read with calamine into [`Grid`](crate::grid::Grid)s:
//! cell values (formulas by their cached value), merged areas, bounded in size.
