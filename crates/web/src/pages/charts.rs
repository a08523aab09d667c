//! Server-rendered SVG charts (bars, and intervals on a log scale): no script, no third party, styled by `site.css` classes
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
/// One estimate with its interval, for an interval ("forest") chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    pub label: String,
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

const LABEL_W: f64 = 250.0;
const ROW_H: f64 = 34.0;

/// Ratios with their intervals on a log scale, one row each, with a line at 1 (no change).
/// The axis runs between powers of two that hold every interval (at least ½ to 2).
pub fn interval_chart(title: &str, description: &str, rows: &[Interval]) -> String {
    let finite = |v: f64| v.is_finite() && v > 0.0;
    let lowest = rows
        .iter()
        .map(|r| r.low)
        .filter(|v| finite(*v))
        .fold(0.5_f64, f64::min);
    let highest = rows
        .iter()
        .map(|r| r.high)
        .filter(|v| finite(*v))
        .fold(2.0_f64, f64::max);
    // Powers of two from 2^-6 to 2^6 are enough for any ratio worth drawing.
    let from = lowest.log2().floor().clamp(-6.0, -1.0);
    let to = highest.log2().ceil().clamp(1.0, 6.0);
    let plot_w = f64::from(WIDTH - RIGHT) - LABEL_W - 10.0;
    let x = |v: f64| -> f64 {
        let at = v.max(2f64.powf(from)).min(2f64.powf(to)).log2();
        LABEL_W + 10.0 + plot_w * (at - from) / (to - from)
    };
    let height = f64::from(TOP) + ROW_H * rows.len().max(1) as f64 + f64::from(BOTTOM);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height:.0}" role="img" aria-labelledby="intervals-title intervals-desc" xmlns="http://www.w3.org/2000/svg"><title id="intervals-title">{}</title><desc id="intervals-desc">{}</desc>"#,
        escape(title),
        escape(description)
    );
    let axis_y = height - f64::from(BOTTOM);
    let mut power = from;
    while power <= to {
        let v = 2f64.powf(power);
        let tick = if v >= 1.0 {
            format!("{v:.0}")
        } else {
            format!("1/{:.0}", 1.0 / v)
        };
        let class = if power == 0.0 { "reference" } else { "grid" };
        let _ = write!(
            svg,
            r#"<line class="{class}" x1="{0:.1}" x2="{0:.1}" y1="{TOP}" y2="{axis_y:.1}"/><text class="tick" x="{0:.1}" y="{1:.1}" text-anchor="middle">{tick}</text>"#,
            x(v),
            axis_y + 16.0
        );
        power += 1.0;
    }
    for (i, row) in rows.iter().enumerate() {
        let cy = f64::from(TOP) + ROW_H * (i as f64 + 0.5);
        let _ = write!(
            svg,
            r#"<text class="label" x="{LABEL_W:.0}" y="{:.1}" text-anchor="end">{}</text><line class="whisker" x1="{:.1}" x2="{:.1}" y1="{cy:.1}" y2="{cy:.1}"/><circle class="point" cx="{:.1}" cy="{cy:.1}" r="5"><title>{}: {:.2} ({:.2} to {:.2})</title></circle>"#,
            cy + 4.0,
            escape(&row.label),
            x(row.low),
            x(row.high),
            x(row.estimate),
            escape(&row.label),
            row.estimate,
            row.low,
            row.high
        );
    }
    svg.push_str("</svg>");
    svg
}

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
