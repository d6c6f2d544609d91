//! Reading user-supplied files (or standard input for `-`) with a size cap,
//! so a wrong path, a directory, binary junk or a huge file gives a clear
//! error instead of a hang or unbounded memory.

use std::io::Read;
use std::path::Path;

/// Why a file could not be read as text.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read '{path}': {reason}")]
    Read { path: String, reason: String },
    #[error("'{path}' is a directory; give a file")]
    Directory { path: String },
    #[error("'{path}' is larger than the {limit}-byte limit; is it the right file?")]
    TooLarge { path: String, limit: u64 },
    #[error("'{path}' is not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8")]
    NotUtf8 { path: String, offset: usize },
}

/// Reads `path` (or standard input when it is `-`): at most `limit` bytes,
/// a file over the limit refused before it is read.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let shown = path.display().to_string();
    let read_err = |e: std::io::Error| InputError::Read {
        path: shown.clone(),
        reason: describe_io(&e),
    };
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        if path.is_dir() {
            return Err(InputError::Directory { path: shown });
        }
        let file = std::fs::File::open(path).map_err(read_err)?;
        let size = file.metadata();
        if size.is_ok_and(|m| m.is_file() && m.len() > limit) {
            return Err(InputError::TooLarge { path: shown, limit });
        }
        Box::new(file)
    };
    let mut bytes = Vec::new();
    let mut limited = reader.take(limit + 1);
    limited.read_to_end(&mut bytes).map_err(read_err)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge { path: shown, limit });
    }
    Ok(bytes)
}

/// Reads `path` (or standard input when it is `-`) as UTF-8 text of at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String, InputError> {
    let bytes = read_bytes(path, limit)?;
    String::from_utf8(bytes).map_err(|e| InputError::NotUtf8 {
        path: path.display().to_string(),
        offset: e.utf8_error().valid_up_to(),
    })
}

/// True when reading `path` reads standard input: `-`, or (on Unix) a
/// path such as `/dev/stdin` or `/dev/fd/0` that opens the same pipe,
/// terminal or device as standard input. (The same regular file, opened
/// again, is read from its start: that is not standard input.)
pub fn is_stdin(path: &Path) -> bool {
    if path.as_os_str() == "-" {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        let Ok(target) = std::fs::metadata(path) else {
            return false;
        };
        let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else {
            return false;
        };
        let Ok(stdin) = std::fs::File::from(fd).metadata() else {
            return false;
        };
        !stdin.is_file() && stdin.dev() == target.dev() && stdin.ino() == target.ino()
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// An I/O error in words, without the "(os error N)" suffix.
pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            let text = e.to_string();
            text.split(" (os error")
                .next()
                .unwrap_or_default()
                .to_string()
        }
    }
}
