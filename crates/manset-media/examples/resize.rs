//! Upload-and-resize time and peak memory for a 4000×3000 JPEG, the size of
//! a newsroom camera's photo. Run by `benches/media.sh`:
//!
//!   cargo run --release -p manset-media --example resize
//!
//! Without arguments it writes a photo-like test JPEG and runs itself on it
//! in a fresh process, so the peak memory printed is that of the work alone
//! (reading the file, inspecting, decoding, five renditions, encoding).
//! Baseline in the same run: decoding the JPEG and nothing else.

use std::process::Command;
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage};

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn photo(width: u32, height: u32) -> Vec<u8> {
    // Smooth light with grain: compresses like a photograph (a few MB at q90).
    let mut seed = 0x9e37_79b9_u32;
    let img = RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let grain = (seed % 24) as i32 - 12;
        let base = [
            (x * 200 / width) as i32 + 30,
            (y * 180 / height) as i32 + 40,
            ((x + y) * 120 / (width + height)) as i32 + 60,
        ];
        Rgb(base.map(|c| (c + grain).clamp(0, 255) as u8))
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(img.as_raw(), width, height, ExtendedColorType::Rgb8)
        .expect("encodes");
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        None => {
            let dir = std::env::temp_dir().join(format!("manset-resize-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let file = dir.join("photo-4000x3000.jpg");
            std::fs::write(&file, photo(4000, 3000)).expect("writes the photo");
            for mode in ["decode", "upload"] {
                let status = Command::new(&args[0]).arg(mode).arg(&file).status().expect("runs itself");
                assert!(status.success());
            }
            let _ = std::fs::remove_dir_all(dir);
        }
        Some(mode) => {
            let path = args.get(2).expect("a file");
            let runs = 5;
            let mut times = Vec::new();
            let mut made = 0;
            for _ in 0..runs {
                let started = Instant::now();
                let bytes = std::fs::read(path).expect("reads");
                if mode == "decode" {
                    let img = image::load_from_memory(&bytes).expect("decodes");
                    std::hint::black_box(img);
                } else {
                    let inspected = manset_media::inspect(&bytes, manset_media::Limits::default()).expect("accepted");
                    let renditions = manset_media::renditions(&bytes, inspected).expect("resized");
                    made = renditions.len();
                    std::hint::black_box(renditions);
                }
                times.push(started.elapsed());
            }
            let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            let label = if mode == "decode" {
                "baseline: decode only"
            } else {
                "upload: inspect + decode + renditions + encode"
            };
            println!(
                "{label:<48} 4000x3000 JPEG ({:.1} MB): median {:>7.1} ms over {runs}, peak RSS {:.0} MB{}",
                size as f64 / 1_048_576.0,
                median(times).as_secs_f64() * 1000.0,
                peak_rss_mb(),
                if made > 0 { format!(", {made} renditions") } else { String::new() }
            );
        }
    }
}
