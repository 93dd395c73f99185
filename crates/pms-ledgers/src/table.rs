//! The header row, the columns and the records of a [`Grid`](crate::grid::Grid).

/// One sheet read as records of one entity.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The file the sheet is in.
    pub file: String,
    /// The sheet name.
    pub sheet: String,
    /// The entity the sheet holds.
    pub entity: String,
}
