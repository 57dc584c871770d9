//! Line differences between two texts, for comparing article revisions.

/// The lines of `after` compared with `before`: `' '` unchanged, `'-'`
/// removed, `'+'` added, in reading order (longest common subsequence).
pub fn lines(before: &str, after: &str) -> Vec<(char, String)> {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    // Articles are hundreds of lines at most; O(n·m) is fine.
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push((' ', a[i].to_owned()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(('-', a[i].to_owned()));
            i += 1;
        } else {
            out.push(('+', b[j].to_owned()));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| ('-', (*l).to_owned())));
    out.extend(b[j..].iter().map(|l| ('+', (*l).to_owned())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_show_as_removed_and_added() {
        let d = lines("bir\niki\nüç", "bir\nİKİ\nüç\ndört");
        assert_eq!(
            d,
            vec![
                (' ', "bir".into()),
                ('-', "iki".into()),
                ('+', "İKİ".into()),
                (' ', "üç".into()),
                ('+', "dört".into())
            ]
        );
        assert_eq!(lines("", "yeni"), vec![('+', "yeni".into())]);
    }
}
