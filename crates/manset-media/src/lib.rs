//! Images for Manşet: recognized by their bytes (never by their name),
//! checked against limits before they are decoded, and resized once into
//! the renditions pages offer in `srcset`.
//!
//! Invariants: nothing is decoded before its dimensions are known to be
//! within [`Limits`]; every rendition is re-encoded from pixels, so camera
//! metadata (EXIF, GPS positions) never reaches readers; the original is
//! kept only by the caller, privately. No I/O here: bytes in, bytes out.

use std::io::Cursor;

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};

/// Widths of the renditions, widest first; an image gets those narrower than
/// itself, plus one at its own width (at most the first of these).
pub const WIDTHS: [u32; 5] = [2048, 1600, 1024, 640, 320];

/// JPEG quality of renditions: visually clean for news photos, a third of
/// the bytes of quality 95.
const JPEG_QUALITY: u8 = 82;

/// What an upload may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file, in bytes.
    pub max_bytes: usize,
    /// Largest width or height, in pixels.
    pub max_side: u32,
    /// Most pixels (width × height): bounds the memory a decode takes.
    pub max_pixels: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_bytes: 20 * 1024 * 1024, max_side: 12_000, max_pixels: 50_000_000 }
    }
}

/// The image formats we take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    WebP,
    Gif,
}

impl Kind {
    pub fn mime(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::WebP => "image/webp",
            Kind::Gif => "image/gif",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::WebP => "webp",
            Kind::Gif => "gif",
        }
    }

    /// The kind named by the file's first bytes, whatever its name says.
    pub fn sniff(bytes: &[u8]) -> Option<Kind> {
        match image::guess_format(bytes).ok()? {
            ImageFormat::Jpeg => Some(Kind::Jpeg),
            ImageFormat::Png => Some(Kind::Png),
            ImageFormat::WebP => Some(Kind::WebP),
            ImageFormat::Gif => Some(Kind::Gif),
            _ => None,
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Png => ImageFormat::Png,
            Kind::WebP => ImageFormat::WebP,
            Kind::Gif => ImageFormat::Gif,
        }
    }
}

/// Why an upload was refused. The messages say what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("the file has {bytes} bytes; the limit is {max}: make it smaller first")]
    TooLarge { bytes: usize, max: usize },
    #[error("the file is not a JPEG, PNG, WebP or GIF image, whatever its name says")]
    NotAnImage,
    #[error("the image is {width}×{height} pixels; the limit is {max_side} on a side and {max_pixels} in all")]
    TooManyPixels { width: u32, height: u32, max_side: u32, max_pixels: u64 },
    #[error("the image cannot be read: {0}")]
    Corrupt(String),
}

/// An accepted upload: its kind and size as readers will see it (after the
/// camera's orientation is applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inspected {
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
}

/// One resized, re-encoded copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    pub width: u32,
    pub height: u32,
    /// `Jpeg` for opaque images, `Png` where there is transparency, `Gif`
    /// for a GIF kept as it is (animations cannot be resized frame by frame here).
    pub kind: Kind,
    pub bytes: Vec<u8>,
}

fn corrupt(e: impl std::fmt::Display) -> MediaError {
    MediaError::Corrupt(e.to_string())
}

/// Checks an upload without decoding its pixels: size in bytes, kind by
/// content, dimensions by its header.
pub fn inspect(bytes: &[u8], limits: Limits) -> Result<Inspected, MediaError> {
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooLarge { bytes: bytes.len(), max: limits.max_bytes });
    }
    let kind = Kind::sniff(bytes).ok_or(MediaError::NotAnImage)?;
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), kind.format()).into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    let too_big = width == 0
        || height == 0
        || width > limits.max_side
        || height > limits.max_side
        || u64::from(width) * u64::from(height) > limits.max_pixels;
    if too_big {
        return Err(MediaError::TooManyPixels {
            width,
            height,
            max_side: limits.max_side,
            max_pixels: limits.max_pixels,
        });
    }
    let orientation = decoder.orientation().map_err(corrupt)?;
    let (width, height) = match orientation {
        image::metadata::Orientation::Rotate90
        | image::metadata::Orientation::Rotate270
        | image::metadata::Orientation::Rotate90FlipH
        | image::metadata::Orientation::Rotate270FlipH => (height, width),
        _ => (width, height),
    };
    Ok(Inspected { kind, width, height })
}

/// The widths of the renditions of an image `width` pixels wide.
pub fn rendition_widths(width: u32) -> Vec<u32> {
    let own = width.min(WIDTHS[0]);
    std::iter::once(own).chain(WIDTHS.into_iter().filter(|w| *w < own)).collect()
}

/// Decodes an inspected upload once and makes its renditions, widest
/// first, each resized from the one before (Lanczos3).
pub fn renditions(bytes: &[u8], inspected: Inspected) -> Result<Vec<Rendition>, MediaError> {
    if inspected.kind == Kind::Gif {
        // One rendition, the same size, so animations survive: rewritten
        // frame by frame from what was decoded, never the uploaded bytes.
        return Ok(vec![Rendition {
            width: inspected.width,
            height: inspected.height,
            kind: Kind::Gif,
            bytes: reencode_gif(bytes)?,
        }]);
    }
    let mut decoder =
        ImageReader::with_format(Cursor::new(bytes), inspected.kind.format()).into_decoder().map_err(corrupt)?;
    let orientation = decoder.orientation().map_err(corrupt)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    let alpha = image.color().has_alpha() && has_transparency(&image);
    let (pixel_type, color, channels) = if alpha {
        (PixelType::U8x4, ExtendedColorType::Rgba8, 4)
    } else {
        (PixelType::U8x3, ExtendedColorType::Rgb8, 3)
    };
    let (width, height) = (image.width(), image.height());
    let pixels = if alpha { image.into_rgba8().into_raw() } else { image.into_rgb8().into_raw() };
    let mut source = Image::from_vec_u8(width, height, pixels, pixel_type).map_err(corrupt)?;
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let mut out = Vec::new();
    for target in rendition_widths(width) {
        let target_height =
            ((u64::from(height) * u64::from(target) + u64::from(width) / 2) / u64::from(width)).max(1) as u32;
        let resized = if target == source.width() {
            source.copy()
        } else {
            let mut dst = Image::new(target, target_height, pixel_type);
            resizer.resize(&source, &mut dst, &options).map_err(corrupt)?;
            dst
        };
        debug_assert_eq!(resized.buffer().len(), (target * target_height) as usize * channels);
        let mut encoded = Vec::new();
        let kind = if alpha {
            PngEncoder::new(&mut encoded)
                .write_image(resized.buffer(), target, target_height, color)
                .map_err(corrupt)?;
            Kind::Png
        } else {
            JpegEncoder::new_with_quality(&mut encoded, JPEG_QUALITY)
                .write_image(resized.buffer(), target, target_height, color)
                .map_err(corrupt)?;
            Kind::Jpeg
        };
        out.push(Rendition { width: target, height: target_height, kind, bytes: encoded });
        // The next, narrower one is made from this one: less work, less memory.
        source = resized;
    }
    Ok(out)
}

/// The most pixels, over all its frames, a GIF may make us decode: a small
/// file can hold thousands of frames.
pub const MAX_GIF_PIXELS: u64 = 200_000_000;

/// A GIF written anew from its decoded frames (their palettes, positions,
/// delays, disposal and transparency, and the loop count): comments,
/// application data and anything after the end are left behind, so a file
/// that is also a script or a page is served as a picture only.
fn reencode_gif(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    // One frame's buffer at most as large as the whole picture allows.
    options.set_memory_limit(gif::MemoryLimit::Bytes(std::num::NonZeroU64::MIN.saturating_add(64 * 1024 * 1024)));
    let mut decoder = options.read_info(Cursor::new(bytes)).map_err(corrupt)?;
    let (width, height) = (decoder.width(), decoder.height());
    let palette = decoder.global_palette().map(<[u8]>::to_vec).unwrap_or_default();
    let repeat = decoder.repeat();
    let mut out = Vec::with_capacity(bytes.len());
    {
        let mut encoder = gif::Encoder::new(&mut out, width, height, &palette).map_err(corrupt)?;
        encoder.set_repeat(repeat).map_err(corrupt)?;
        let mut decoded: u64 = 0;
        while let Some(frame) = decoder.read_next_frame().map_err(corrupt)? {
            decoded += u64::from(frame.width) * u64::from(frame.height);
            if decoded > MAX_GIF_PIXELS {
                return Err(MediaError::Corrupt(format!(
                    "the animation has more than {MAX_GIF_PIXELS} pixels over its frames"
                )));
            }
            encoder.write_frame(frame).map_err(corrupt)?;
        }
    }
    Ok(out)
}

/// Whether any pixel is not fully opaque (an alpha channel that is all 255
/// is no reason to give up JPEG).
fn has_transparency(image: &DynamicImage) -> bool {
    match image {
        DynamicImage::ImageRgba8(buf) => buf.pixels().any(|p| p.0[3] < 255),
        DynamicImage::ImageLumaA8(buf) => buf.pixels().any(|p| p.0[1] < 255),
        other => other.to_rgba8().pixels().any(|p| p.0[3] < 255),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    /// A two-frame animation with a comment and a script after its end.
    fn gif_polyglot() -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = gif::Encoder::new(&mut out, 4, 2, &[0, 0, 0, 255, 255, 255]).unwrap();
            encoder.set_repeat(gif::Repeat::Infinite).unwrap();
            for shade in [0u8, 1] {
                let frame =
                    gif::Frame { width: 4, height: 2, delay: 10, buffer: vec![shade; 8].into(), ..Default::default() };
                encoder.write_frame(&frame).unwrap();
            }
        }
        assert_eq!(out.pop(), Some(0x3B), "the trailer");
        out.extend_from_slice(&[0x21, 0xFE, 13]);
        out.extend_from_slice(b"<?php evil ?>");
        out.extend_from_slice(&[0x00, 0x3B]);
        out.extend_from_slice(b"<script>alert(1)</script>");
        out
    }

    #[test]
    fn a_gif_is_written_anew_with_its_frames_and_nothing_else() {
        let upload = gif_polyglot();
        let inspected = inspect(&upload, Limits::default()).unwrap();
        let r = renditions(&upload, inspected).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].kind, r[0].width, r[0].height), (Kind::Gif, 4, 2));
        assert_ne!(r[0].bytes, upload, "never the uploaded bytes");
        let text = String::from_utf8_lossy(&r[0].bytes);
        assert!(!text.contains("evil") && !text.contains("script"), "comments and trailing data are gone");
        let mut decoder = gif::DecodeOptions::new().read_info(Cursor::new(&r[0].bytes)).unwrap();
        let mut frames = 0;
        while decoder.read_next_frame().unwrap().is_some() {
            frames += 1;
        }
        assert_eq!(frames, 2, "the animation survives");
        assert_eq!(decoder.repeat(), gif::Repeat::Infinite);
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .write_image(img.as_raw(), width, height, ExtendedColorType::Rgb8)
            .unwrap();
        out
    }

    #[test]
    fn the_kind_comes_from_the_bytes_not_the_name() {
        assert_eq!(Kind::sniff(&jpeg(8, 8)), Some(Kind::Jpeg));
        assert_eq!(Kind::sniff(b"<?php system($_GET['c']); ?>"), None);
        assert_eq!(Kind::sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), None);
        // A GIF signature on something else is refused, whatever the reason found.
        assert!(inspect(b"GIF89a but not really", Limits::default()).is_err());
        assert_eq!(inspect(b"plain text", Limits::default()), Err(MediaError::NotAnImage));
    }

    #[test]
    fn limits_are_checked_before_decoding() {
        let small = Limits { max_bytes: 100, ..Limits::default() };
        assert!(matches!(inspect(&jpeg(64, 64), small), Err(MediaError::TooLarge { .. })));
        let narrow = Limits { max_side: 50, ..Limits::default() };
        assert!(matches!(inspect(&jpeg(64, 32), narrow), Err(MediaError::TooManyPixels { width: 64, height: 32, .. })));
        let ok = inspect(&jpeg(64, 32), Limits::default()).unwrap();
        assert_eq!((ok.kind, ok.width, ok.height), (Kind::Jpeg, 64, 32));
    }

    #[test]
    fn renditions_are_widest_first_and_keep_the_aspect() {
        assert_eq!(rendition_widths(4000), [2048, 1600, 1024, 640, 320]);
        assert_eq!(rendition_widths(700), [700, 640, 320]);
        assert_eq!(rendition_widths(200), [200]);
        let bytes = jpeg(1200, 800);
        let r = renditions(&bytes, inspect(&bytes, Limits::default()).unwrap()).unwrap();
        assert_eq!(
            r.iter().map(|r| (r.width, r.height)).collect::<Vec<_>>(),
            [(1200, 800), (1024, 683), (640, 427), (320, 213)]
        );
        assert!(r.iter().all(|r| r.kind == Kind::Jpeg && Kind::sniff(&r.bytes) == Some(Kind::Jpeg)));
    }

    #[test]
    fn transparency_stays_png_and_opaque_png_becomes_jpeg() {
        let mut clear = RgbaImage::from_pixel(40, 20, Rgba([255, 0, 0, 255]));
        clear.put_pixel(0, 0, Rgba([0, 0, 0, 0]));
        let mut png = Vec::new();
        PngEncoder::new(&mut png).write_image(clear.as_raw(), 40, 20, ExtendedColorType::Rgba8).unwrap();
        let r = renditions(&png, inspect(&png, Limits::default()).unwrap()).unwrap();
        assert_eq!(r[0].kind, Kind::Png);
        let opaque = RgbaImage::from_pixel(40, 20, Rgba([255, 0, 0, 255]));
        let mut png = Vec::new();
        PngEncoder::new(&mut png).write_image(opaque.as_raw(), 40, 20, ExtendedColorType::Rgba8).unwrap();
        let r = renditions(&png, inspect(&png, Limits::default()).unwrap()).unwrap();
        assert_eq!(r[0].kind, Kind::Jpeg);
    }
}
