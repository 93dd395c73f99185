//! Interpretation of one cell as the value of a field: dates in every form an office writes
//! (Excel serials, `2025/4/1`, `2025年4月1日`, `R7.4.1`, `令和7年4月1日`, `令和元年5月1日`),
//! booleans (`○/×`, `有/無`, `はい/いいえ`, `済/未`, `✓`), lists in one cell, numbers with
//! full-width digits and enum values by their Japanese names.
