//! Where output goes: a buffered, locked standard output, and whether it may
//! use colour.

use std::io::{IsTerminal, Write};

/// When to use colour (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
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
        if !color {
            let plain = Style::new();
            return Styles {
                heading: plain,
                good: plain,
                bad: plain,
                warn: plain,
                dim: plain,
                color,
                width: None,
            };
        }
        Styles {
            heading: Style::new().bold(),
            good: Style::new().fg_color(Some(AnsiColor::Green.into())).bold(),
            bad: Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
            warn: Style::new().fg_color(Some(AnsiColor::Yellow.into())),
            dim: Style::new().dimmed(),
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
    columns
        .or_else(|| {
            if std::io::stdout().is_terminal() {
                terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
            } else {
                None
            }
        })
        .map(|w| w.clamp(40, 1000))
}

/// The width of a table in a pipe or a file when `COLUMNS` is not set.
pub const PIPE_TABLE_WIDTH: usize = 100;

/// Writes `text` to standard output in one go.
pub fn write_stdout(text: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text)?;
    out.flush()
}
