//! Indexes over the label table ([`pms_core::labels`]): which entity a sheet name means,
//! which field a header means, which enum value a Japanese word means.
//!
//! Every word is indexed by its [`fold`](crate::fold::fold) and looked up first as folded,
//! then by its [`key`](crate::fold::key) (without a bracketed note), so `有効期間（開始）`
//! and `件数（概数）` both find their field.
