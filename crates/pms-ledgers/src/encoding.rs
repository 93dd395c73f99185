//! Text encodings of CSV and TSV ledgers: UTF-8 with or without a byte-order mark,
//! Shift_JIS/CP932 (the default export of Japanese Excel) and EUC-JP, detected or forced,
//! decoded strictly with `encoding_rs` so that mojibake is an error, never silent garbage.
