//! A WordPress export reader must read any bytes to an end: records or an
//! error with a line and column, never a panic, never a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use manset_import::wxr::WxrReader;

fuzz_target!(|data: &[u8]| {
    let mut reader = WxrReader::new(data);
    let mut records = 0;
    while let Ok(Some(_)) = reader.next_record() {
        records += 1;
        assert!(records <= data.len() + 1, "more records than bytes");
    }
});
