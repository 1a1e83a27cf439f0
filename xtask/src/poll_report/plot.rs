//! `docs/poll-delay.svg`: detection delay against delivery time, one line per strategy,
//! with the target drawn dashed.

use std::path::Path;
use std::time::Duration;

use order_core::schedule::simulate::{target_delay, DELIVERY_TIMES};
use plotters::prelude::*;

use super::{Kind, Measurement};

const SIZE: (u32, u32) = (900, 560);

pub fn draw(measurements: &[Measurement], path: &Path) -> Result<(), String> {
    let error = |e: &dyn std::fmt::Display| format!("drawing {}: {e}", path.display());
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(|e| error(&e))?;

    let highest = measurements
        .iter()
        .filter_map(|m| m.run.detection_delay)
        .map(|d| d.as_secs_f64())
        .fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Detection delay by delivery time (lower is better)",
            ("sans-serif", 24),
        )
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(
            (4.0f64..2500.0)
                .log_scale()
                .with_key_points(DELIVERY_TIMES.iter().map(Duration::as_secs_f64).collect()),
            0.0..highest * 1.1,
        )
        .map_err(|e| error(&e))?;
    chart
        .configure_mesh()
        .x_desc("delivery time (log scale)")
        .y_desc("detection delay (s)")
        .light_line_style(WHITE)
        .x_label_formatter(&|x| axis_time(*x))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(|e| error(&e))?;

    let target = DELIVERY_TIMES
        .iter()
        .map(|&d| (d.as_secs_f64(), target_delay(d).as_secs_f64()));
    chart
        .draw_series(DashedLineSeries::new(
            target,
            6,
            4,
            ShapeStyle::from(&BLACK.mix(0.6)).stroke_width(2),
        ))
        .map_err(|e| error(&e))?
        .label("target: max(3 s, 10 % of delivery time)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLACK.mix(0.6)));

    for kind in Kind::ALL {
        let color = match kind {
            Kind::Ours => BLUE,
            Kind::Fixed => RGBColor(0, 150, 60),
            Kind::Doubling => RED,
            Kind::PagesOwnSchedules => RGBColor(220, 130, 0),
            // One schedule however many pages: our schedule's line (see its legend).
            Kind::PagesProxySchedule => continue,
        };
        let points: Vec<(f64, f64)> = measurements
            .iter()
            .filter(|m| m.kind == kind)
            .filter_map(|m| {
                let delay = m.run.detection_delay?;
                Some((m.delivery.as_secs_f64(), delay.as_secs_f64()))
            })
            .collect();
        chart
            .draw_series(
                LineSeries::new(points, ShapeStyle::from(&color).stroke_width(3)).point_size(5),
            )
            .map_err(|e| error(&e))?
            .label(legend_label(kind, measurements))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(("sans-serif", 16))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(|e| error(&e))?;
    root.present().map_err(|e| error(&e))
}

fn legend_label(kind: Kind, measurements: &[Measurement]) -> String {
    let most = measurements
        .iter()
        .filter(|m| m.kind == kind)
        .map(|m| m.run.max_per_hour)
        .max()
        .unwrap_or(0);
    let also = match kind {
        Kind::Ours => " (= order-proxy's for 10 pages)",
        _ => "",
    };
    format!("{}{also}: up to {most} requests/hour", kind.label())
}

fn axis_time(secs: f64) -> String {
    super::table::duration(Duration::from_secs_f64(secs.max(0.0)))
}
