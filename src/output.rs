//! Where output goes: a buffered, locked standard output, and whether it may
//! use colour.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

cif_data::spelled! {
    /// When to use colour (`--color`; `as_str`: the flag's spelling).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
    pub enum ColorWhen {
        Auto = "auto",
        Always = "always",
        Never = "never",
    }
}

/// Decides colour once per run: `always`, `never`, or `auto` (a terminal and
/// `NO_COLOR` unset or empty).
pub fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// How output looks, decided once by the handler and handed to `render`:
/// whether it has colour, the text styles (empty without colour), and the
/// width to fit to (`None`: a pipe or a file, where text is not wrapped).
#[derive(Debug, Clone, Copy)]
pub struct Styles {
    pub heading: anstyle::Style,
    pub good: anstyle::Style,
    pub bad: anstyle::Style,
    pub warn: anstyle::Style,
    pub dim: anstyle::Style,
    pub color: bool,
    pub width: Option<usize>,
}

impl Styles {
    pub fn new(color: bool) -> Styles {
        use anstyle::{AnsiColor, Style};
        let style = |s: Style| if color { s } else { Style::new() };
        Styles {
            heading: style(Style::new().bold()),
            good: style(Style::new().fg_color(Some(AnsiColor::Green.into())).bold()),
            bad: style(Style::new().fg_color(Some(AnsiColor::Red.into())).bold()),
            warn: style(Style::new().fg_color(Some(AnsiColor::Yellow.into()))),
            dim: style(Style::new().dimmed()),
            color,
            width: None,
        }
    }

    /// The same look at `width` (see `width()`).
    pub fn with_width(self, width: Option<usize>) -> Styles {
        Styles { width, ..self }
    }

    /// The width tables are drawn for: `width`, and 100 columns when that
    /// is `None` (a pipe or a file without `COLUMNS`), so that a table piped
    /// into `less`, an email or a ticket stays readable. Only tables: the
    /// text answer of `recommend` stays unwrapped in a pipe (one reason a
    /// line, for grep).
    pub fn table_width(&self) -> usize {
        self.width.unwrap_or(PIPE_TABLE_WIDTH)
    }
}

/// The width to fit output to: `COLUMNS` when set, else the terminal's
/// width when standard output is a terminal, else `None` (a pipe or a file
/// gets unwrapped lines, which also keeps each reason on one line for grep).
pub fn width() -> Option<usize> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0);
    // terminal_size() falls back to stderr's and stdin's size: only
    // stdout's counts, so it must be a terminal itself.
    let terminal = || match terminal_size::terminal_size() {
        Some((w, _)) if std::io::stdout().is_terminal() => Some(usize::from(w.0)),
        _ => None,
    };
    columns.or_else(terminal).map(|w| w.clamp(40, 1000))
}

/// The width of a table in a pipe or a file when `COLUMNS` is not set.
pub const PIPE_TABLE_WIDTH: usize = 100;

/// How a writer makes what it writes safe (see `sanitize`): JSON's own
/// escapes in a JSON document, the text escapes (`\u{1b}`) elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    Text,
    Json,
}

/// `text` as a writer writes it: no control character (newlines and tabs
/// aside; in text, the tool's own colour sequences aside) or bidirectional
/// override raw, whichever renderer made it and whatever it echoes.
pub fn safe(text: &str, escape: Escape) -> std::borrow::Cow<'_, str> {
    match escape {
        Escape::Text => crate::sanitize::escape_terminal(text),
        Escape::Json => crate::sanitize::escape_json(text),
    }
}

/// As [`safe`] with [`Escape::Json`], for JSON that serde_json wrote (a
/// batch's output lines), where a C0 control is never raw (serde_json
/// escapes them in strings and writes none between values): only DEL, the
/// C1 controls and the overrides can be, found by their first bytes (0x7F,
/// 0xC2, 0xE2) in one vectorised scan. Bytes that are not UTF-8 are kept.
pub fn safe_json_bytes(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    use std::borrow::Cow;
    if memchr::memchr3(0x7f, 0xc2, 0xe2, bytes).is_none() {
        return Cow::Borrowed(bytes);
    }
    match std::str::from_utf8(bytes).map(crate::sanitize::escape_json) {
        Ok(Cow::Owned(text)) => Cow::Owned(text.into_bytes()),
        _ => Cow::Borrowed(bytes),
    }
}

/// Writes `text` to standard output in one go, made safe (see [`safe`]).
pub fn write_stdout(text: &str, escape: Escape) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(safe(text, escape).as_bytes())?;
    out.flush()
}

/// Writes `text` to standard error, made safe (see [`safe`]); a standard
/// error that cannot take it is ignored (nothing sensible is left to do).
pub fn write_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(safe(text, Escape::Text).as_bytes());
    let _ = err.flush();
}

/// Writes `bytes` to the file at `path` so that the write cannot
/// half-happen: into a new temporary file in the same folder, synced, then
/// renamed over `path`. On any error the temporary file is removed and the
/// file at `path` (if any) is left exactly as it was. Writing over the file
/// a command read (`--save` onto its `--requirements`) is safe. A symbolic
/// link is followed (its target is replaced); a path that is not a regular
/// file (`/dev/null`, a FIFO) is written directly, as nothing can be
/// renamed over it. Like every writer, it escapes control characters
/// (`sanitize::escape_text`): a file written holds none raw.
pub fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    let bytes = crate::sanitize::escape_text(text);
    let target = link_target(path)?;
    let existing = std::fs::metadata(&target).ok();
    match &existing {
        Some(m) if m.is_dir() => return Err(std::io::ErrorKind::IsADirectory.into()),
        Some(m) if !m.is_file() => return std::fs::write(&target, bytes.as_bytes()),
        _ => {}
    }
    let (temp, mut file) = temporary_beside(&target)?;
    let written = (|| {
        if let Some(m) = &existing {
            file.set_permissions(m.permissions())?;
        }
        file.write_all(bytes.as_bytes())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// Where a write to `path` lands: `path`, or the file its symbolic links
/// lead to (which need not exist yet, as for a plain write through them).
fn link_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut target = path.to_path_buf();
    // As the kernel, give up after 40 links (a loop).
    for _ in 0..40 {
        match std::fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = std::fs::read_link(&target)?;
                target = match target.parent() {
                    Some(folder) if next.is_relative() => folder.join(next),
                    _ => next,
                };
            }
            _ => return Ok(target),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// A new file beside `target` (same folder, so a rename is atomic), named
/// `.NAME.PID.N.tmp`, created exclusively.
fn temporary_beside(target: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty());
    let folder = parent.unwrap_or(Path::new("."));
    // Short enough for any file system's name limit.
    let name = target.file_name().map(|n| n.to_string_lossy());
    let name: String = name.as_deref().unwrap_or("file").chars().take(64).collect();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = folder.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match std::fs::File::create_new(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The JSON writers' escapes change the spelling, never the value:
        /// what serde_json wrote reads back the same after them.
        #[test]
        fn json_escapes_keep_the_value(text in "[\\PC\\p{Cc}\u{202a}-\u{202e}\u{2066}-\u{2069}]{0,24}") {
            let json = serde_json::to_string(&serde_json::json!({ "k": text, "n": [1, "x"] })).unwrap();
            let safe = safe(&json, Escape::Json);
            prop_assert!(safe.chars().all(|c| !crate::sanitize::is_unsafe_in_text(c)));
            let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
            prop_assert_eq!(back["k"].as_str(), Some(text.as_str()));
            let bytes = safe_json_bytes(json.as_bytes());
            prop_assert_eq!(&*bytes, safe.as_bytes());
        }
    }
}
