//! Forms that send a file (`multipart/form-data`): read whole, within the route's body limit,
//! into their text fields and their one file. The staff guard reads an upload's CSRF token
//! from it and hands the parsed form on as a request extension, so the body is read once.

use axum::body::Bytes;
use axum::http::{HeaderMap, header};

use crate::forms::FormFields;

/// Largest file upload accepted, in bytes: a booking feed of `booking::MAX_ROWS` rows with
/// long charge descriptions fits well inside.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;

/// The paths whose forms send a file, and may be that large.
const UPLOAD_PATHS: [&str; 1] = ["/staff/bookings"];

/// The largest body a request to `path` may have.
pub fn body_limit(path: &str) -> usize {
    if UPLOAD_PATHS.contains(&path) {
        MAX_UPLOAD_BYTES
    } else {
        crate::MAX_BODY_BYTES
    }
}

/// A form with a file, as sent.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// The text fields.
    pub fields: FormFields,
    /// The file fields: (field name, the file's bytes). A file input left empty sends no
    /// bytes and is left out.
    pub files: Vec<(String, Bytes)>,
}

impl Upload {
    /// The bytes of the file sent as `name`, if one was.
    pub fn file(&self, name: &str) -> Option<&Bytes> {
        self.files.iter().find(|(n, _)| n == name).map(|(_, b)| b)
    }
}

/// The boundary of a `multipart/form-data` body, if the request is one.
pub fn boundary(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    multer::parse_boundary(content_type).ok()
}

/// Reads the whole form. An unreadable body is `None`: the page that sent it did not.
pub async fn read(body: Bytes, boundary: &str) -> Option<Upload> {
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut pairs = Vec::new();
    let mut files = Vec::new();
    while let Some(field) = multipart.next_field().await.ok()? {
        let name = field.name().unwrap_or_default().to_owned();
        if field.file_name().is_some() {
            let bytes = field.bytes().await.ok()?;
            if !bytes.is_empty() {
                files.push((name, bytes));
            }
        } else {
            pairs.push((name, field.text().await.ok()?));
        }
        if pairs.len() + files.len() > crate::forms::MAX_FIELDS {
            return None;
        }
    }
    Some(Upload {
        fields: FormFields::from_pairs(pairs),
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn text_fields_and_the_file_come_apart() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"feed\"; filename=\"b.csv\"\r\n\
                    Content-Type: text/csv\r\n\r\nname,dob\r\nA,1980-01-01\r\n\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"other\"; filename=\"\"\r\n\r\n\r\n\
                    --XyZ--\r\n";
        let upload = read(Bytes::from(body), "XyZ").await.unwrap();
        assert_eq!(upload.fields.get("csrf"), "tok");
        assert_eq!(
            upload.file("feed").map(|b| b.as_ref()),
            Some(&b"name,dob\r\nA,1980-01-01\r\n"[..])
        );
        assert!(upload.file("other").is_none());
        assert!(read(Bytes::from("garbage"), "XyZ").await.is_none());
        assert_eq!(body_limit("/staff/bookings"), MAX_UPLOAD_BYTES);
        assert_eq!(body_limit("/refer"), crate::MAX_BODY_BYTES);
    }
}
