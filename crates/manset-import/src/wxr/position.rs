//! Line and column of a byte offset, for error messages, without keeping
//! the document.

use std::io::{self, BufRead, Read};

/// A buffered reader that remembers where lines start, so that an error at a
/// byte offset can be reported as a line and column. It keeps the bytes read
/// since the last settled offset (the start of the event being parsed) and
/// folds older ones into a running count, so memory stays one event's size.
pub(super) struct Tracked<R> {
    inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    /// Bytes consumed from `settled.offset` on.
    recent: Vec<u8>,
    settled: Place,
}

/// A byte offset and its 1-based line and column (in characters).
#[derive(Debug, Clone, Copy)]
struct Place {
    offset: u64,
    line: u64,
    column: u64,
}

impl Place {
    fn advance(mut self, bytes: &[u8]) -> Place {
        for &byte in bytes {
            if byte == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if byte & 0xC0 != 0x80 {
                // Not a UTF-8 continuation byte: a new character.
                self.column += 1;
            }
        }
        self.offset += bytes.len() as u64;
        self
    }
}

impl<R> Tracked<R> {
    pub(super) fn new(inner: R) -> Self {
        Tracked {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            start: 0,
            end: 0,
            recent: Vec::new(),
            settled: Place { offset: 0, line: 1, column: 1 },
        }
    }

    /// Forgets the bytes before `offset`, counting their lines.
    pub(super) fn settle(&mut self, offset: u64) {
        let n =
            usize::try_from(offset.saturating_sub(self.settled.offset)).unwrap_or(usize::MAX).min(self.recent.len());
        self.settled = self.settled.advance(&self.recent[..n]);
        self.recent.drain(..n);
    }

    /// Line and column of `offset`, which must not be before the settled one.
    pub(super) fn locate(&self, offset: u64) -> (u64, u64) {
        let n =
            usize::try_from(offset.saturating_sub(self.settled.offset)).unwrap_or(usize::MAX).min(self.recent.len());
        let place = self.settled.advance(&self.recent[..n]);
        (place.line, place.column)
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Tracked<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.start = 0;
            self.end = loop {
                match self.inner.read(&mut self.buf) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other?,
                }
            };
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, amount: usize) {
        let amount = amount.min(self.end - self.start);
        self.recent.extend_from_slice(&self.buf[self.start..self.start + amount]);
        self.start += amount;
    }
}
