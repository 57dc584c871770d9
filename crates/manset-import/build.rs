//! Embeds the demo content files (`demo/*.md` at the workspace root) so that
//! `manset serve --demo` needs nothing beside the binary.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let demo = manifest.join("../../demo");
    println!("cargo::rerun-if-changed={}", demo.display());
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&demo).map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    files.retain(|p| {
        p.extension().is_some_and(|e| e == "md") && !p.file_name().is_some_and(|n| n.eq_ignore_ascii_case("readme.md"))
    });
    files.sort();
    let mut code =
        String::from("/// The demo content files: (file name, text).\npub const FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        let name = file.file_name().and_then(|n| n.to_str()).expect("demo file names are UTF-8");
        let abs = file.canonicalize().expect("a listed demo file exists");
        writeln!(code, "    ({name:?}, include_str!({:?})),", abs.display().to_string()).expect("writing to a String");
        println!("cargo::rerun-if-changed={}", abs.display());
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("demo_files.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
