//! Just enough geometry for a service area: a polygon and "is this point inside".

use serde::Deserialize;

/// A WGS84 point, longitude first as in GeoJSON.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Point {
    pub lon: f64,
    pub lat: f64,
}

/// A simple polygon (outer ring only; the service areas we draw have no holes).
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    ring: Vec<Point>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeoError {
    #[error("the GeoJSON could not be read: {0}")]
    Json(String),
    #[error("the GeoJSON has no Polygon geometry")]
    NoPolygon,
    #[error("a polygon needs at least three distinct corners")]
    TooFewCorners,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum GeoJson {
    FeatureCollection { features: Vec<Feature> },
    Feature(Feature),
    Polygon { coordinates: Vec<Vec<[f64; 2]>> },
}

#[derive(Deserialize)]
struct Feature {
    geometry: Geometry,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum Geometry {
    Polygon {
        coordinates: Vec<Vec<[f64; 2]>>,
    },
    #[serde(other)]
    Other,
}

impl Polygon {
    pub fn new(ring: Vec<Point>) -> Result<Self, GeoError> {
        let mut ring = ring;
        if ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        if ring.len() < 3 {
            return Err(GeoError::TooFewCorners);
        }
        Ok(Self { ring })
    }

    /// The first polygon in a GeoJSON text (a FeatureCollection, a Feature or a bare Polygon).
    pub fn from_geojson(text: &str) -> Result<Self, GeoError> {
        let doc: GeoJson = serde_json::from_str(text).map_err(|e| GeoError::Json(e.to_string()))?;
        let rings = match doc {
            GeoJson::Polygon { coordinates } => Some(coordinates),
            GeoJson::Feature(f) => polygon_rings(f.geometry),
            GeoJson::FeatureCollection { features } => {
                features.into_iter().find_map(|f| polygon_rings(f.geometry))
            }
        };
        let outer = rings
            .and_then(|r| r.into_iter().next())
            .ok_or(GeoError::NoPolygon)?;
        Self::new(
            outer
                .into_iter()
                .map(|[lon, lat]| Point { lon, lat })
                .collect(),
        )
    }

    /// Ray casting: count how many edges a ray going east from the point crosses.
    pub fn contains(&self, p: Point) -> bool {
        let mut inside = false;
        let mut j = self.ring.len() - 1;
        for (i, a) in self.ring.iter().enumerate() {
            let b = self.ring[j];
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let crossing_lon = (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon;
                if p.lon < crossing_lon {
                    inside = !inside;
                }
            }
            j = i;
        }
        inside
    }
}

fn polygon_rings(geometry: Geometry) -> Option<Vec<Vec<[f64; 2]>>> {
    match geometry {
        Geometry::Polygon { coordinates } => Some(coordinates),
        Geometry::Other => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_in_an_l_shaped_polygon() {
        let ring = [
            (0.0, 0.0),
            (2.0, 0.0),
            (2.0, 1.0),
            (1.0, 1.0),
            (1.0, 2.0),
            (0.0, 2.0),
        ]
        .map(|(lon, lat)| Point { lon, lat });
        let poly = Polygon::new(ring.to_vec()).unwrap();
        assert!(poly.contains(Point { lon: 0.5, lat: 1.5 }));
        assert!(poly.contains(Point { lon: 1.5, lat: 0.5 }));
        assert!(!poly.contains(Point { lon: 1.5, lat: 1.5 }));
        assert!(!poly.contains(Point {
            lon: -0.1,
            lat: 0.5
        }));
    }

    #[test]
    fn geojson_shapes() {
        let fc = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
            "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}"#;
        assert!(
            Polygon::from_geojson(fc)
                .unwrap()
                .contains(Point { lon: 0.5, lat: 0.5 })
        );
        assert_eq!(
            Polygon::from_geojson(r#"{"type":"Polygon","coordinates":[]}"#),
            Err(GeoError::NoPolygon)
        );
        assert!(matches!(Polygon::from_geojson("{"), Err(GeoError::Json(_))));
    }
}
