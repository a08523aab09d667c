//! Server-rendered SVG bar charts: no script, no third party, styled by `site.css` classes
//! (the CSP allows no inline styles). Each chart names itself and says where its numbers are
//! written out (a table follows every chart), and each bar carries its value as a tooltip.

use std::fmt::Write as _;

/// One bar: its label and value, or the marker shown where the value is suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: Result<u64, String>,
}

const WIDTH: u32 = 640;
const HEIGHT: u32 = 220;
const LEFT: u32 = 44;
const RIGHT: u32 = 8;
const TOP: u32 = 12;
const BOTTOM: u32 = 36;
/// A suppressed bar is drawn dashed, as tall as its largest possible value (10).
const SUPPRESSED_HEIGHT: u64 = 10;

/// A bar chart as an `<svg>` element; `id` must be unique on the page.
pub fn bar_chart(id: &str, title: &str, description: &str, bars: &[Bar]) -> String {
    let shown_max = bars
        .iter()
        .filter_map(|b| b.value.as_ref().ok())
        .copied()
        .max();
    let top = nice_ceiling(shown_max.unwrap_or(0).max(SUPPRESSED_HEIGHT));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |v: u64| -> f64 {
        // `top` is at least 10, so the division is defined.
        f64::from(TOP) + f64::from(plot_h) * (1.0 - v as f64 / top as f64)
    };
    let mut svg = String::new();
    // Writing to a String cannot fail; the results are ignored.
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(description)
    );
    for tick in [0, top / 2, top] {
        let ty = y(tick);
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{ty:.1}" y2="{ty:.1}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end">{tick}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6,
            ty + 4.0
        );
    }
    let count = u32::try_from(bars.len()).unwrap_or(u32::MAX).max(1);
    let slot = f64::from(plot_w) / f64::from(count);
    let bar_w = (slot * 0.7).max(1.0);
    // Label every bar when there is room, else every few, always the last.
    let every = (bars.len() / 12).max(1);
    for (i, bar) in bars.iter().enumerate() {
        let x = f64::from(LEFT) + slot * i as f64 + (slot - bar_w) / 2.0;
        let (class, value, tip) = match &bar.value {
            Ok(v) => ("bar", *v, v.to_string()),
            Err(marker) => ("bar suppressed", SUPPRESSED_HEIGHT, marker.clone()),
        };
        let top_y = y(value);
        let h = (y(0) - top_y).max(0.0);
        let _ = write!(
            svg,
            r#"<rect class="{class}" x="{x:.1}" y="{top_y:.1}" width="{bar_w:.1}" height="{h:.1}"><title>{}: {}</title></rect>"#,
            escape(&bar.label),
            escape(&tip)
        );
        if i % every == 0 || i + 1 == bars.len() {
            let _ = write!(
                svg,
                r#"<text class="label" x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
                x + bar_w / 2.0,
                HEIGHT - BOTTOM + 16,
                escape(&bar.label)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The smallest of 10, 20, 25, 50 × 10ⁿ at or above `v`: round numbers for the axis.
fn nice_ceiling(v: u64) -> u64 {
    let mut scale = 1_u64;
    loop {
        for step in [10_u64, 20, 25, 50] {
            let candidate = step.saturating_mul(scale);
            if candidate >= v || candidate == u64::MAX {
                return candidate;
            }
        }
        scale = scale.saturating_mul(10);
    }
}

/// Text for SVG content and attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_round_up_to_plain_numbers() {
        assert_eq!(nice_ceiling(0), 10);
        assert_eq!(nice_ceiling(11), 20);
        assert_eq!(nice_ceiling(21), 25);
        assert_eq!(nice_ceiling(26), 50);
        assert_eq!(nice_ceiling(51), 100);
        assert_eq!(nice_ceiling(606), 1000);
    }

    #[test]
    fn labels_are_escaped_and_suppressed_bars_dashed() {
        let svg = bar_chart(
            "c",
            "A & B",
            "<desc>",
            &[
                Bar {
                    label: "Jan".into(),
                    value: Ok(40),
                },
                Bar {
                    label: "Feb \"x\"".into(),
                    value: Err("fewer than 11".into()),
                },
            ],
        );
        assert!(svg.contains("<title id=\"c-title\">A &amp; B</title>"));
        assert!(svg.contains("&lt;desc&gt;"));
        assert!(svg.contains("class=\"bar suppressed\""));
        assert!(svg.contains("Feb &quot;x&quot;: fewer than 11"));
        assert!(!svg.contains("style="), "the CSP forbids inline styles");
    }
}
