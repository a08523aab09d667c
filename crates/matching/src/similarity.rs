//! String similarity without allocation for the short ASCII text comparators see (folded
//! names, codes): Jaro–Winkler with bit masks, and "at most one edit". Profiling showed the
//! general-purpose versions spending half their time allocating. Longer text falls back to
//! `strsim`.

/// Jaro–Winkler similarity (prefix scale 0.1, up to four characters, only above 0.7), as
/// `strsim` computes it.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x.len() > 64 || y.len() > 64 || !a.is_ascii() || !b.is_ascii() {
        return strsim::jaro_winkler(a, b);
    }
    let jaro = jaro(x, y);
    if jaro <= 0.7 {
        return jaro;
    }
    let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count();
    jaro + 0.1 * prefix as f64 * (1.0 - jaro)
}

/// Jaro similarity of two byte strings of at most 64 bytes.
fn jaro(x: &[u8], y: &[u8]) -> f64 {
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let window = (x.len().max(y.len()) / 2).saturating_sub(1);
    let (mut x_matched, mut y_matched) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, &c) in x.iter().enumerate() {
        let from = i.saturating_sub(window);
        let to = (i + window + 1).min(y.len());
        for (j, &d) in y.iter().enumerate().take(to).skip(from) {
            if y_matched & (1 << j) == 0 && d == c {
                x_matched |= 1 << i;
                y_matched |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0;
    for (i, &c) in x.iter().enumerate() {
        if x_matched & (1 << i) == 0 {
            continue;
        }
        while y_matched & (1 << j) == 0 {
            j += 1;
        }
        if c != y[j] {
            transpositions += 1;
        }
        j += 1;
    }
    let m = matches as f64;
    (m / x.len() as f64 + m / y.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

/// Whether the two are equal or one edit apart: a character changed, added or removed, or
/// two neighbours swapped.
pub fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match long.len() - short.len() {
        0 => {
            let first = short.iter().zip(long).position(|(p, q)| p != q);
            let Some(i) = first else { return true };
            // One change, or a swap of neighbours.
            short[i + 1..] == long[i + 1..]
                || (i + 1 < short.len()
                    && short[i] == long[i + 1]
                    && short[i + 1] == long[i]
                    && short[i + 2..] == long[i + 2..])
        }
        1 => {
            let i = short
                .iter()
                .zip(long)
                .position(|(p, q)| p != q)
                .unwrap_or(short.len());
            short[i..] == long[i + 1..]
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn jaro_winkler_agrees_with_strsim(a in "[a-e ]{0,12}", b in "[a-e ]{0,12}") {
            let ours = jaro_winkler(&a, &b);
            let theirs = strsim::jaro_winkler(&a, &b);
            prop_assert!((ours - theirs).abs() < 1e-12, "{a:?} {b:?}: {ours} vs {theirs}");
            prop_assert!((ours - jaro_winkler(&b, &a)).abs() < 1e-12);
        }

        #[test]
        fn one_edit_agrees_with_optimal_string_alignment(a in "[0-3]{0,7}", b in "[0-3]{0,7}") {
            let expected = strsim::osa_distance(&a, &b) <= 1;
            prop_assert_eq!(within_one_edit(a.as_bytes(), b.as_bytes()), expected, "{} {}", a, b);
        }
    }

    #[test]
    fn long_and_non_ascii_text_falls_back() {
        let long = "a".repeat(80);
        assert!((jaro_winkler(&long, &long) - 1.0).abs() < 1e-12);
        assert!(
            (jaro_winkler("josé", "jose") - strsim::jaro_winkler("josé", "jose")).abs() < 1e-12
        );
    }
}
