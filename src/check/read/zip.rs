//! A Configuration Migration tool zip: its data.xml and data_schema.xml.

use super::*;
use ::zip::CompressionMethod::{Deflated, Stored};

/// The data.xml (and data_schema.xml, if any) of a CMT zip, within the limits.
pub(super) fn unzip(bytes: Vec<u8>) -> Result<(Vec<u8>, Option<Vec<u8>>), ReadError> {
    // D26: refused before the whole central directory is indexed.
    if let Some(n) = declared_entries(&bytes).filter(|n| *n > MAX_ZIP_ENTRIES as u64) {
        return Err(ReadError::ZipEntries(n));
    }
    let mut zip = ::zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::NotAZip(e.to_string()))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(ReadError::ZipEntries(zip.len() as u64));
    }
    let damaged = |e: ::zip::result::ZipError| ReadError::DamagedZip(e.to_string());
    let mut total: u64 = 0;
    // data.xml and data_schema.xml: (index, name in the zip).
    let mut found: [Option<(usize, String)>; 2] = [None, None];
    let mut solution = false;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(damaged)?;
        total = total.saturating_add(entry.size());
        if entry.size() > MAX_FILE_BYTES || total > MAX_FILE_BYTES {
            return Err(ReadError::BombEntry(short(entry.name())));
        }
        let base = entry.name().rsplit(['/', '\\']).next();
        let name = base.unwrap_or("").to_ascii_lowercase();
        let wanted = ["data.xml", "data_schema.xml"]
            .iter()
            .position(|n| *n == name);
        if let Some(k) = wanted {
            if let Some((_, first)) = &found[k] {
                // D23: the last one was read and the first ignored.
                let (first, now) = (short(first), short(entry.name()));
                return Err(ReadError::TwoEntries(name, first, now));
            }
            // D27: say what to do, not "a damaged zip".
            if entry.encrypted() {
                return Err(ReadError::Encrypted(name));
            }
            let method = entry.compression();
            if !matches!(method, Stored | Deflated) {
                return Err(ReadError::Compression(name, method.to_string()));
            }
            found[k] = Some((i, entry.name().to_string()));
        } else if name == "solution.xml" || name == "customizations.xml" {
            solution = true;
        }
    }
    let [data, schema] = found;
    let no_data = if solution {
        ReadError::Solution
    } else {
        ReadError::NoData
    };
    let (data, _) = data.ok_or(no_data)?;
    // One budget for the bytes actually unpacked, whatever the headers
    // declare (D24: each entry had its own).
    let mut budget = MAX_FILE_BYTES;
    let mut read = |i: usize| -> Result<Vec<u8>, ReadError> {
        let entry = zip.by_index(i).map_err(damaged)?;
        let mut out = Vec::new();
        entry
            .take(budget + 1)
            .read_to_end(&mut out)
            .map_err(|e| ReadError::DamagedEntry(e.to_string()))?;
        if out.len() as u64 > budget {
            return Err(ReadError::Bomb);
        }
        budget -= out.len() as u64;
        Ok(out)
    };
    Ok((read(data)?, schema.map(|(i, _)| read(i)).transpose()?))
}

/// The number of entries a zip's end-of-central-directory record declares
/// (its zip64 record's when the count is 0xFFFF), or `None` when it cannot
/// be found; the zip reader checks the rest.
pub(super) fn declared_entries(b: &[u8]) -> Option<u64> {
    let from = b.len().saturating_sub(22 + 65_535);
    let pos = memchr::memmem::rfind(&b[from..], b"PK\x05\x06")? + from;
    let eocd = b.get(pos..pos + 22)?;
    let n = u64::from(u16::from_le_bytes([eocd[10], eocd[11]]));
    if n != 0xFFFF {
        return Some(n);
    }
    let locator = b.get(pos.checked_sub(20)?..pos)?;
    if &locator[..4] != b"PK\x06\x07" {
        return Some(n);
    }
    let at = usize::try_from(u64::from_le_bytes(locator[8..16].try_into().ok()?)).ok()?;
    let record = b.get(at..at.checked_add(56)?)?;
    if &record[..4] != b"PK\x06\x06" {
        return Some(n);
    }
    Some(u64::from_le_bytes(record[32..40].try_into().ok()?))
}
