//! `recommend --batch FILE|-`: JSON Lines in, one JSON result per line out.
//!
//! It streams: one reused line buffer (capped), one reused result buffer, a
//! buffered writer. The compact result comes from the engine's fast path (bit
//! masks, no reason text); `--detail full` runs the whole evaluation.

use crate::batch_teams::{CompactLine, Failed};
use crate::engine::{Engine, OutcomeKind};
use crate::error::Error;
use crate::exit::ExitCode;
use crate::requirements::{LineId, Requirements, RequirementsSeed};
use crate::sanitize::escape;
use serde::de::DeserializeSeed;
use serde::Serialize;
use serde_json::error::Category;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

cif_data::spelled! {
    /// What each output line carries (`--detail`; `as_str`: the flag's spelling).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    pub enum Detail {
        /// line, id, outcome, recommended, confidence, plan, fits, failed.
        Compact = "compact",
        /// The whole `recommend --format json` object, with line and id.
        Full = "full",
    }
}

/// The longest batch line accepted; a longer one is reported as a bad line.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Counts for the summary on standard error.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub lines: u64,
    pub bad: u64,
    /// Per version (matrix order): lines where it was recommended.
    pub recommended: Vec<u64>,
    /// Lines answered with a plan of versions.
    pub plans: u64,
    pub none_fits: u64,
}

/// What reading one line gave.
enum Line {
    /// A complete line (without its newline) is in the buffer.
    Complete,
    /// The line was longer than the cap; the rest was skipped.
    TooLong,
    /// End of input.
    End,
    /// A signal ended the batch (the exit code); the half-read line is dropped.
    Stopped(ExitCode),
}

/// A result line: its number and id, then the result's own keys.
#[derive(Serialize)]
struct Numbered<I, B> {
    line: u64,
    id: I,
    #[serde(flatten)]
    body: B,
}

/// A bad line's result: its number, its id if it has one, and what is wrong.
#[derive(Serialize)]
struct ErrorLine<'a, I> {
    line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<I>,
    error: &'a str,
}

/// A plan item of a compact line: the keys of `PlanItem`, borrowed.
#[derive(Serialize)]
struct CompactItem<'b> {
    apps: Vec<&'b str>,
    version: &'b str,
    confidence: Option<crate::engine::Confidence>,
    conditional_on: Vec<&'b str>,
    unmet: Vec<&'b str>,
}

/// The batch processor: reusable state for many lines.
pub struct Batch<'e, 'm> {
    engine: &'e Engine<'m>,
    detail: Detail,
    /// Reused requirements storage.
    spare: Option<Requirements>,
    pub summary: Summary,
    /// Set by `run`: SIGINT, SIGTERM, SIGHUP and SIGQUIT end the batch.
    stop: Option<std::sync::Arc<stop::State>>,
    /// Finds the `teams` key of a line (built once, not per line): a line
    /// that names it may describe teams and takes `batch_teams`' path; any
    /// other takes the plain one.
    teams: memchr::memmem::Finder<'static>,
    /// Reused outcome storage.
    scratch: crate::engine::Outcome,
}

impl<'e, 'm> Batch<'e, 'm> {
    pub fn new(engine: &'e Engine<'m>, detail: Detail) -> Self {
        Batch {
            engine,
            detail,
            spare: None,
            summary: Summary {
                recommended: vec![0; engine.matrix.versions.len()],
                ..Summary::default()
            },
            stop: None,
            teams: memchr::memmem::Finder::new(b"\"teams\""),
            scratch: Default::default(),
        }
    }

    /// Fills the reader's buffer. When that may block (the buffer is
    /// empty), everything so far is written out first (whole lines) and the
    /// wait published, so that a signal arriving during it ends the batch at
    /// once, from the signal thread; a signal received before is returned
    /// (None: the buffer holds bytes, or is empty at the end of input).
    fn fill<R: Read>(
        &self,
        reader: &mut BufReader<R>,
        writer: &mut impl Write,
    ) -> Result<Option<ExitCode>, Error> {
        loop {
            let stop = self.stop.as_deref();
            if let Some(code) = stop.and_then(stop::State::signal) {
                return Ok(Some(code));
            }
            // The stop state, when the read may block.
            let waiting = stop.filter(|_| reader.buffer().is_empty());
            if let Some(stop) = waiting {
                writer.flush().map_err(Error::Output)?;
                if let Some(code) = stop.wait_begins(&self.summary) {
                    return Ok(Some(code));
                }
            }
            let filled = reader.fill_buf().map(|_| ());
            if let Some(code) = waiting.and_then(stop::State::wait_ends) {
                return Ok(Some(code));
            }
            match filled {
                Ok(()) => return Ok(None),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let e = crate::input::describe_io(&e);
                    return Err(Error::Input(format!("cannot read batch input: {e}")));
                }
            }
        }
    }

    /// Reads one line into `buf` (cleared first), keeping at most
    /// `MAX_LINE_BYTES` bytes; each refill of the buffer is a
    /// [`Batch::fill`], so a signal ends the batch even in the middle of a line.
    fn read_line<R: Read>(
        &self,
        reader: &mut BufReader<R>,
        writer: &mut impl Write,
        buf: &mut Vec<u8>,
    ) -> Result<Line, Error> {
        buf.clear();
        let (mut too_long, mut read_any) = (false, false);
        loop {
            if let Some(code) = self.fill(reader, writer)? {
                return Ok(Line::Stopped(code));
            }
            let available = reader.buffer();
            if available.is_empty() && !read_any {
                return Ok(Line::End);
            }
            read_any = true;
            // The line's bytes in the buffer (all of it until its newline);
            // past the cap, none are kept.
            let newline = memchr::memchr(b'\n', available);
            let chunk = &available[..newline.unwrap_or(available.len())];
            too_long |= buf.len() + chunk.len() > MAX_LINE_BYTES;
            if too_long {
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
            let used = newline.map_or(available.len(), |i| i + 1);
            reader.consume(used);
            // Its newline, or the end of input.
            if used == 0 || newline.is_some() {
                return Ok(if too_long {
                    Line::TooLong
                } else {
                    Line::Complete
                });
            }
        }
    }

    /// Parses one line into requirements and its id.
    pub fn parse<'a>(
        &mut self,
        line: &'a [u8],
    ) -> Result<(Requirements, Option<LineId<'a>>), String> {
        // Validating the whole line once is cheaper than serde_json checking
        // each string of a byte slice.
        let text = std::str::from_utf8(line).map_err(|e| {
            let column = e.valid_up_to() + 1;
            format!("not UTF-8 text (invalid byte at column {column}); save the file as UTF-8")
        })?;
        let mut de = serde_json::Deserializer::from_str(text);
        let seed = RequirementsSeed {
            lexicon: &self.engine.lexicon,
            allow_id: true,
            buffer: self.spare.take().unwrap_or_default(),
        };
        let parsed = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
        parsed.map_err(|e| {
            let text = match e.classify() {
                Category::Syntax | Category::Eof => format!("not valid JSON: {e}"),
                _ => e.to_string(),
            };
            match text.rsplit_once(" at line 1 column ") {
                // Column 0: serde_json had not read a byte of the value yet.
                Some((head, "0")) => head.to_string(),
                Some((head, column)) => format!("{head} (column {column})"),
                None => text,
            }
        })
    }

    /// Appends the result for line `n` to `out`.
    pub fn process(&mut self, n: u64, line: &[u8], out: &mut Vec<u8>) {
        self.summary.lines += 1;
        // A byte-order mark before the first line (some Windows editors write one).
        let line = match n {
            1 => line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line),
            _ => line,
        };
        if self.teams.find(line).is_some() && self.process_teams(n, line, out).is_some() {
            return;
        }
        match self.parse(line) {
            Ok((req, id)) => {
                match self.detail {
                    _ if req.is_empty() => {
                        let keys = self.engine.lexicon.keys().join(", ");
                        let message = format!("no requirement stated; give at least one of {keys}");
                        self.error_line(n, id.as_ref(), &message, out);
                    }
                    Detail::Compact => self.compact(n, &req, &id, out),
                    Detail::Full => self.full(n, &req, &id, out),
                }
                self.spare = Some(req);
            }
            Err(message) => self.error_line(n, readable_id(line).as_ref(), &message, out),
        }
    }

    /// A line that describes teams: answered by the organisation's engine.
    /// `None` when the line holds no `teams:` after all (the plain path reads it).
    fn process_teams(&mut self, n: u64, line: &[u8], out: &mut Vec<u8>) -> Option<()> {
        use crate::batch_teams as bt;
        let (id, org) = match bt::parse(self.engine, line) {
            Ok(parsed) => parsed,
            Err((id, message)) => {
                let id = (!id.is_null()).then_some(id);
                self.error_line(n, id.as_ref(), &message, out);
                return Some(());
            }
        };
        if org.teams.is_empty() {
            return None;
        }
        let (outcome, recommended) = match self.detail {
            Detail::Compact => {
                let head = self.engine.headline_org(&org);
                bt::compact(n, &id, &head, out);
                (head.org.outcome, head.org.recommended)
            }
            Detail::Full => {
                let d = self.engine.evaluate_org(&org);
                let body = crate::render::json::DecisionView::new(self.engine, &d);
                let _ = serde_json::to_writer(&mut *out, &Numbered { line: n, id, body });
                (d.outcome, d.recommended)
            }
        };
        out.push(b'\n');
        let recommended = recommended
            .as_deref()
            .and_then(|r| self.engine.matrix.versions.iter().position(|v| v.id == r));
        self.count_kind(outcome, recommended);
        Some(())
    }

    /// Appends the error result for line `n`, with the line's id if it has one.
    fn error_line(&mut self, n: u64, id: Option<impl Serialize>, message: &str, out: &mut Vec<u8>) {
        self.summary.bad += 1;
        // JSON escapes the controls but not the bidirectional overrides.
        let error = &escape(message);
        let _ = serde_json::to_writer(&mut *out, &ErrorLine { line: n, id, error });
        out.push(b'\n');
    }

    fn count_kind(&mut self, kind: OutcomeKind, recommended: Option<usize>) {
        match (kind, recommended) {
            (OutcomeKind::Single, Some(v)) => self.summary.recommended[v] += 1,
            (OutcomeKind::Single, None) => {}
            (OutcomeKind::Plan, _) => self.summary.plans += 1,
            (OutcomeKind::None, _) => self.summary.none_fits += 1,
        }
    }

    /// Appends the compact result of line `n`.
    fn compact(&mut self, n: u64, req: &Requirements, id: &Option<LineId<'_>>, out: &mut Vec<u8>) {
        let engine = self.engine;
        let mut outcome = std::mem::take(&mut self.scratch);
        engine.rules.outcome_into(req, &mut outcome);
        self.count_kind(outcome.kind, outcome.recommended());
        // As the full answer states them: a retirement makes them at most conditional.
        let (confidence, _) = engine.dated_confidence(req, &outcome);
        let failed: Vec<_> = engine
            .rules
            .order()
            .iter()
            .filter(|&&v| outcome.failed[v] != 0)
            .map(|&v| (engine.version_id(v), engine.key_names(outcome.failed[v])))
            .collect();
        let fits: Vec<_> = outcome.fits.iter().map(|&v| engine.version_id(v)).collect();
        let line = CompactLine {
            line: n,
            id: id.as_ref(),
            outcome: outcome.kind,
            recommended: outcome.recommended().map(|v| engine.version_id(v)),
            confidence,
            plan: match outcome.kind {
                OutcomeKind::Single => Vec::new(),
                _ => outcome
                    .groups
                    .iter()
                    .map(|g| CompactItem {
                        apps: engine.app_id_names(g.apps),
                        version: engine.version_id(g.version),
                        confidence: engine.dated_group_confidence(req, &outcome, g).0,
                        conditional_on: engine.key_names(g.unknown),
                        unmet: engine.key_names(g.unmet),
                    })
                    .collect(),
            },
            fits,
            failed: Failed(&failed),
            teams: None::<()>,
        };
        let _ = serde_json::to_writer(&mut *out, &line);
        out.push(b'\n');
        self.scratch = outcome;
    }

    fn full(&mut self, n: u64, req: &Requirements, id: &Option<LineId<'_>>, out: &mut Vec<u8>) {
        let decision = self.engine.evaluate(req);
        self.count_kind(decision.core.kind, decision.core.recommended());
        let body = crate::render::json::DecisionView::new(self.engine, &decision);
        let id = id.as_ref();
        let _ = serde_json::to_writer(&mut *out, &Numbered { line: n, id, body });
        out.push(b'\n');
    }

    /// Processes a whole input, writing results to `out`. Returns the exit
    /// code of the signal that stopped it early, if one did (then the lines
    /// so far are written, whole).
    pub fn run_stream(
        &mut self,
        input: impl Read,
        out: impl Write,
    ) -> Result<Option<ExitCode>, Error> {
        let mut reader = BufReader::with_capacity(64 * 1024, input);
        let mut writer = BufWriter::with_capacity(64 * 1024, out);
        let mut line = Vec::with_capacity(4096);
        let mut result = Vec::with_capacity(4096);
        let mut n = 0u64;
        let stopped = loop {
            result.clear();
            if let Some(code) = self.fill(&mut reader, &mut writer)? {
                break Some(code);
            }
            n += 1;
            // Fast path: a whole line inside the reader's buffer is parsed in place.
            if let Some(i) = memchr::memchr(b'\n', reader.buffer()) {
                let trimmed = reader.buffer()[..i].trim_ascii();
                // (Blank lines carry no requirements.)
                if !trimmed.is_empty() {
                    self.process(n, trimmed, &mut result);
                }
                reader.consume(i + 1);
            } else {
                // The rest of a line is still to come: every wait for it,
                // too, is one a signal ends.
                match self.read_line(&mut reader, &mut writer, &mut line)? {
                    Line::End => break None,
                    Line::Stopped(code) => break Some(code),
                    Line::TooLong => {
                        self.summary.lines += 1;
                        let message = format!(
                            "line is longer than {MAX_LINE_BYTES} bytes; split it or shorten it"
                        );
                        self.error_line(n, None::<()>, &message, &mut result)
                    }
                    Line::Complete if line.trim_ascii().is_empty() => {}
                    Line::Complete => self.process(n, line.trim_ascii(), &mut result),
                }
            }
            write_line(&mut writer, &result)?;
        };
        writer.flush().map_err(Error::Output)?;
        Ok(stopped)
    }
}

/// SIGINT, SIGTERM, SIGHUP and SIGQUIT during a batch: the lines so far are
/// written whole, the summary printed, and the exit code is 130, 143, 129 or
/// 131 (a second signal ends the process at once, by the signal). A signal
/// that arrives while the batch computes or writes is seen before the next
/// line; one that arrives while it waits for input, at the start of a line
/// or in the middle of one (everything whole written by then), ends the
/// process from the thread that received it.
mod stop {
    use super::Summary;
    use crate::exit::ExitCode::{self, HungUp, Interrupted, Quit, Terminated};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    #[derive(Default)]
    pub struct State {
        /// The exit code of the signal received, 0 while none.
        code: AtomicUsize,
        /// The summary so far while the batch waits for input, None while it computes.
        waiting: Mutex<Option<Summary>>,
        /// The summary line's version labels, in preference order.
        pub labels: Vec<(usize, String)>,
    }

    impl State {
        /// The exit code of the signal received, if any (each of these
        /// codes is 128 + its signal's number: `ExitCode`'s discriminants).
        pub fn signal(&self) -> Option<ExitCode> {
            let code = self.code.load(Ordering::SeqCst);
            [HungUp, Interrupted, Quit, Terminated]
                .into_iter()
                .find(|&stop| stop as usize == code)
        }

        fn lock(&self) -> std::sync::MutexGuard<'_, Option<Summary>> {
            self.waiting.lock().unwrap_or_else(|e| e.into_inner())
        }

        /// Publishes the summary before a wait; a signal already received
        /// (checked under the lock, so none is missed) is returned instead.
        pub fn wait_begins(&self, summary: &Summary) -> Option<ExitCode> {
            let mut waiting = self.lock();
            if let Some(code) = self.signal() {
                return Some(code);
            }
            *waiting = Some(summary.clone());
            None
        }

        /// The wait for input is over: the signal received meanwhile, if any.
        pub fn wait_ends(&self) -> Option<ExitCode> {
            self.lock().take();
            self.signal()
        }

        /// From the signal thread: record the signal; if the batch is
        /// waiting for input, print the summary and end the process.
        pub fn received(&self, code: usize) {
            self.code.store(code, Ordering::SeqCst);
            let waiting = self.lock();
            if let Some(summary) = waiting.as_ref() {
                // Exiting from this thread skips the main thread's pending
                // writes; it holds none: `waiting` is set only while the
                // batch waits for input with every whole line written.
                super::print_summary(&self.labels, summary);
                std::process::exit(code as i32);
            }
        }
    }

    /// Starts the signal thread (Unix); None where signals are not caught.
    #[cfg(unix)]
    pub fn start(labels: Vec<(usize, String)>) -> Option<std::sync::Arc<State>> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        // SIGHUP (a dropped ssh connection) and SIGQUIT end a batch as SIGINT
        // and SIGTERM do: whole lines, the summary, 128 + the signal.
        const SIGNALS: [i32; 4] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT];
        let state = std::sync::Arc::new(State {
            labels,
            ..State::default()
        });
        // A second signal ends the process at once, as without this handling
        // (a batch stuck writing into a pipe nobody reads can still be stopped).
        let again = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        for signal in SIGNALS {
            signal_hook::flag::register_conditional_default(signal, again.clone()).ok()?;
            signal_hook::flag::register(signal, again.clone()).ok()?;
        }
        let mut signals = signal_hook::iterator::Signals::new(SIGNALS).ok()?;
        let shared = std::sync::Arc::clone(&state);
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                for signal in signals.forever() {
                    shared.received(128 + signal as usize);
                }
            })
            .ok()?;
        Some(state)
    }

    #[cfg(not(unix))]
    pub fn start(_labels: Vec<(usize, String)>) -> Option<std::sync::Arc<State>> {
        None
    }
}

/// The `id` of a line that is a JSON object, even when its requirements are bad.
fn readable_id(line: &[u8]) -> Option<serde_json::Value> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Option<serde_json::Value>,
    }
    let id = serde_json::from_slice::<IdOnly>(line).ok()?.id;
    id.filter(|id| !id.is_object() && !id.is_array())
}

/// Writes a result line as every JSON writer does: no control character or
/// bidirectional override raw, even in an id or value echoed from the input
/// (`output::safe_json_bytes`; the value read back is the same).
fn write_line(writer: &mut impl Write, line: &[u8]) -> Result<(), Error> {
    let safe = crate::output::safe_json_bytes(line);
    writer.write_all(&safe).map_err(Error::Output)
}

/// Runs a batch from a file or `-` (standard input) to `stdout` (the
/// command's standard output), with the summary on standard error.
pub fn run<W: Write>(
    engine: &Engine,
    path: &Path,
    detail: Detail,
    stdout: W,
) -> Result<ExitCode, Error> {
    let mut batch = Batch::new(engine, detail);
    // The versions in preference order: (matrix index, escaped id).
    let label = |&v: &usize| (v, escape(engine.version_id(v)).into_owned());
    let labels: Vec<_> = engine.rules.order().iter().map(label).collect();
    batch.stop = stop::start(labels.clone());
    let stopped = if path.as_os_str() == "-" {
        batch.run_stream(std::io::stdin().lock(), stdout)?
    } else {
        let name = path.display();
        if path.is_dir() {
            let message = format!("batch file '{name}' is a directory; give a JSON Lines file");
            return Err(Error::Input(message));
        }
        let file = std::fs::File::open(path).map_err(|e| {
            let e = crate::input::describe_io(&e);
            Error::Input(format!("cannot read batch file '{name}': {e}"))
        })?;
        batch.run_stream(file, stdout)?
    };
    print_summary(&labels, &batch.summary);
    Ok(stopped.unwrap_or(if batch.summary.bad > 0 {
        ExitCode::Error
    } else {
        ExitCode::Success
    }))
}

fn print_summary(labels: &[(usize, String)], s: &Summary) {
    let count = |v: usize| s.recommended.get(v).copied().unwrap_or(0);
    let versions: String = labels
        .iter()
        .map(|(v, id)| format!("{id} {}, ", count(*v)))
        .collect();
    let plural = if s.lines == 1 { "" } else { "s" };
    crate::output::write_stderr(&format!(
        "cif-advisor: {} line{plural}; recommended: {versions}plan {}, none fits {}, bad lines {}\n",
        s.lines, s.plans, s.none_fits, s.bad
    ));
}
