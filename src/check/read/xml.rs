//! A Configuration Migration tool data.xml and its data_schema.xml.

use super::*;
use std::ops::Range;

/// N:N links of one entity: relationship name -> source id -> target ids.
type EntityLinks<'d> = BTreeMap<&'d str, BTreeMap<String, Vec<String>>>;

/// An entity's records cut out of the text (see [`Pieces`]): the text,
/// their spans and the names of their fields.
type EntityPieces<'p> = (&'p str, &'p [Range<usize>], &'p BTreeSet<String>);

impl Reader {
    pub(super) fn read_xml(
        &mut self,
        index: usize,
        text: &str,
        schema: Option<&Schema>,
    ) -> Result<(), ReadError> {
        xml_prescan(text)?;
        // Each record parsed on its own (see [`Pieces`]); anything else
        // parses the whole document, which reads it or says what is wrong.
        let pieces = Pieces::new(text);
        let skeleton = pieces.as_ref().map(|p| parse_options(&p.skeleton));
        let (doc, pieces) = match skeleton {
            Some(Ok(doc)) => (doc, pieces.as_ref()),
            _ => (parse_xml(text)?, None),
        };
        let root = doc.root_element();
        match root.tag_name().name() {
            "entities" => {}
            "ImportExportXml" => return Err(ReadError::Solution),
            other => return Err(ReadError::XmlRoot(short(other))),
        }
        let entities = root.children().filter(|n| n.has_tag_name("entity"));
        for (k, entity) in entities.enumerate() {
            let records = entity.children().find(|n| n.has_tag_name("records"));
            if records.is_none() && entity.children().any(|n| n.has_tag_name("fields")) {
                return Err(ReadError::SchemaFile);
            }
            let piece = pieces.map(|p| (text, &p.spans[k][..], &p.seen[k]));
            self.read_entity(index, entity, records, schema, piece);
        }
        Ok(())
    }

    /// The records of one `<entity>` of a table check reads (else X05).
    fn read_entity(
        &mut self,
        index: usize,
        entity: roxmltree::Node<'_, '_>,
        records: Option<roxmltree::Node<'_, '_>>,
        schema: Option<&Schema>,
        pieces: Option<EntityPieces<'_>>,
    ) {
        let name = entity.attribute("name").unwrap_or("");
        let Some(table) = Table::ALL.into_iter().find(|t| t.logical() == name) else {
            let shown = short(name);
            let m = format!("the entity '{shown}' is not a table check reads; ignored");
            self.issue(Case::X05OtherTable, None, Some(index), m);
            return;
        };
        self.note_table(index, table);
        let mut links = entity_links(entity);
        let declared = |rel: &str| {
            links.contains_key(rel)
                || schema
                    .is_some_and(|s| s.relationships.get(name).is_some_and(|r| r.contains(rel)))
        };
        let (provider_links, user_links) = (declared(PROVIDER_LINKS), declared(USER_LINKS));
        // The columns exported: an absent one of these is empty (CMT
        // leaves out empty values). From the schema, or seen on any record.
        let empty = BTreeSet::new();
        let (text, spans, seen) = pieces.unwrap_or(("", &[], &empty));
        let fields = records.iter().flat_map(|r| r.descendants());
        let fields = fields.filter(|f| f.has_tag_name("field"));
        let exported = Exported {
            schema: schema.and_then(|s| s.fields.get(name)),
            seen: fields
                .filter_map(|f| f.attribute("name"))
                .chain(seen.iter().map(String::as_str))
                .collect(),
        };
        // Reads a record; false once the table holds too many.
        let mut read = |this: &mut Self, n: usize, record: roxmltree::Node<'_, '_>| {
            let fields: BTreeMap<&str, &str> = record
                .children()
                .filter(|n| n.has_tag_name("field"))
                .filter_map(|f| Some((f.attribute("name")?, f.attribute("value")?)))
                .collect();
            let id = record
                .attribute("id")
                .map(guid)
                .or_else(|| fields.get(table.primary_id()).map(|v| guid(v)));
            let key = id.as_deref().unwrap_or_default();
            let extra = XmlLinks {
                exported: &exported,
                providers: provider_links.then(|| take_links(&mut links, PROVIDER_LINKS, key)),
                users: user_links.then(|| take_links(&mut links, USER_LINKS, key).len()),
            };
            this.read_record(index, table, id, n, &Source::Xml(&fields, extra));
            this.too_many.is_none()
        };
        let records = records.into_iter().flat_map(|r| r.children());
        for (n, record) in records.filter(|n| n.has_tag_name("record")).enumerate() {
            if !read(self, n, record) {
                return;
            }
        }
        // Or the records cut out of the document, each parsed again here.
        for (n, span) in spans.iter().enumerate() {
            let Ok(doc) = parse_options(&text[span.clone()]) else {
                continue;
            };
            if !read(self, n, doc.root_element()) {
                return;
            }
        }
    }
}

/// A data.xml in pieces (the whole document's tree took three times the
/// file): the text with each record of an entity's first `<records>` cut
/// out (an empty comment in its place), and each record parsed on its own.
/// Only a document whose pieces all parse within the nodes limit is cut,
/// so it is read as the whole document would be.
struct Pieces {
    skeleton: String,
    /// Per `<entity>` of the root, the spans of its records in the text.
    spans: Vec<Vec<Range<usize>>>,
    /// Per `<entity>`, the names of the `<field>`s its records hold.
    seen: Vec<BTreeSet<String>>,
}

impl Pieces {
    fn new(text: &str) -> Option<Pieces> {
        let spans = record_spans(text)?;
        let mut skeleton = String::new();
        let mut at = 0;
        for span in spans.iter().flatten() {
            skeleton.push_str(&text[at..span.start]);
            skeleton.push_str("<!---->");
            at = span.end;
        }
        skeleton.push_str(&text[at..]);
        let doc = parse_options(&skeleton).ok()?;
        let entities = doc.root_element().children();
        if entities.filter(|n| n.has_tag_name("entity")).count() != spans.len() {
            return None;
        }
        // The whole document's nodes: each comment and each record's
        // document node stand for the record's nodes.
        let mut nodes = doc.descendants().count();
        let mut seen = Vec::new();
        for entity in &spans {
            let mut names = BTreeSet::new();
            for span in entity {
                let record = parse_options(&text[span.clone()]).ok()?;
                nodes += record.descendants().count() - 2;
                for f in record.descendants().filter(|n| n.has_tag_name("field")) {
                    if let Some(k) = f.attribute("name").filter(|k| !names.contains(*k)) {
                        names.insert(k.to_string());
                    }
                }
            }
            seen.push(names);
        }
        (nodes < MAX_XML_NODES as usize).then_some(Pieces {
            skeleton,
            spans,
            seen,
        })
    }
}

/// Where the comment, CDATA section, processing instruction or
/// declaration that starts at `b[start]` (a `<`) ends; `None` for a tag.
fn skip_markup(b: &[u8], start: usize) -> Option<usize> {
    let rest = &b[start + 1..];
    let kinds: [(&[u8], &[u8]); 4] = [
        (b"!--", b"-->"),
        (b"![CDATA[", b"]]>"),
        (b"?", b"?>"),
        (b"!", b">"),
    ];
    let (open, close) = kinds.iter().find(|(open, _)| rest.starts_with(open))?;
    let from = start + 1 + open.len();
    Some(memchr::memmem::find(&b[from..], close).map_or(b.len(), |p| from + p + close.len()))
}

/// The spans of the `<record>`s of each `<entity>`'s first `<records>`
/// (names compared without a prefix, as roxmltree's `has_tag_name`), by the
/// markup alone: the parser judges the pieces.
fn record_spans(text: &str) -> Option<Vec<Vec<Range<usize>>>> {
    let b = text.as_bytes();
    let mut spans: Vec<Vec<Range<usize>>> = Vec::new();
    // Open elements; whether the one at depth 1 is an entity (and its
    // first records seen), the one at depth 2 that records.
    let (mut depth, mut entity, mut records_seen, mut in_records) = (0usize, false, false, false);
    let mut record = None;
    for (start, end) in tags(b) {
        if b.get(start + 1) == Some(&b'/') {
            depth = depth.checked_sub(1)?;
            if depth == 3 {
                if let Some(from) = record.take() {
                    spans.last_mut()?.push(from..end);
                }
            }
            continue;
        }
        let empty = b[..end].ends_with(b"/>");
        let name = b[start + 1..]
            .split(|c| c.is_ascii_whitespace() || b"/>".contains(c))
            .next()
            .unwrap_or_default();
        let local = name.rsplit(|c| *c == b':').next().unwrap_or_default();
        match depth {
            1 => {
                entity = local == b"entity";
                records_seen = false;
                if entity {
                    spans.push(Vec::new());
                }
            }
            2 => {
                in_records = entity && !records_seen && local == b"records";
                records_seen |= entity && local == b"records";
            }
            3 if in_records && local == b"record" => {
                if empty {
                    spans.last_mut()?.push(start..end);
                } else {
                    record = Some(start);
                }
            }
            _ => {}
        }
        if !empty {
            depth += 1;
        }
    }
    Some(spans)
}

/// Each tag of the text, by the markup alone: where it starts and where it
/// ends (past its '>'); comments, CDATA sections, processing instructions
/// and declarations are stepped over.
fn tags(b: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || loop {
        let start = i + memchr::memchr(b'<', &b[i..])?;
        if let Some(next) = skip_markup(b, start) {
            i = next;
            continue;
        }
        // An end tag ends at the next '>', a start tag at '>' outside quotes.
        i = if b.get(start + 1) == Some(&b'/') {
            memchr::memchr(b'>', &b[start + 1..]).map_or(b.len(), |p| start + p + 2)
        } else {
            let mut rest = unquoted(b, start + 1);
            rest.find(|(_, c)| *c == b'>')
                .map_or(b.len(), |(j, _)| j + 1)
        };
        return Some((start, i));
    })
}

/// The bytes from `from` on that are outside quotes, with their positions.
fn unquoted(b: &[u8], from: usize) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut quote = None;
    (from..b.len()).filter_map(move |j| match (quote, b[j]) {
        (Some(q), c) => {
            quote = quote.filter(|_| c != q);
            None
        }
        (None, c @ (b'"' | b'\'')) => {
            quote = Some(c);
            None
        }
        (None, c) => Some((j, c)),
    })
}

/// The N:N links an `<entity>`'s `<m2mrelationships>` list.
fn entity_links<'d>(entity: roxmltree::Node<'d, '_>) -> EntityLinks<'d> {
    let mut links = EntityLinks::new();
    for rel in entity
        .children()
        .filter(|n| n.has_tag_name("m2mrelationships"))
        .flat_map(|n| n.children())
        .filter(|n| n.has_tag_name("m2mrelationship"))
    {
        let rel_name = rel.attribute("m2mrelationshipname").unwrap_or("");
        let source = guid(rel.attribute("sourceid").unwrap_or(""));
        // Links of no record (D4: they went to every record without an id).
        if source.is_empty() {
            continue;
        }
        let targets = rel
            .descendants()
            .filter(|n| n.has_tag_name("targetid"))
            .filter_map(|n| n.text())
            .map(guid)
            .filter(|t| !t.is_empty());
        links
            .entry(rel_name)
            .or_default()
            .entry(source)
            .or_default()
            .extend(targets);
    }
    links
}

/// A record's links of one relationship, taken, not copied: a second
/// record with its id (read once anyway) or one without an id gets none (D4).
fn take_links(links: &mut EntityLinks<'_>, rel: &str, key: &str) -> Vec<Link> {
    // (No link has an empty key: entity_links drops them.)
    let targets = links.get_mut(rel).and_then(|m| m.remove(key));
    let link = |id| Link {
        id: Some(id),
        ..Link::default()
    };
    targets.unwrap_or_default().into_iter().map(link).collect()
}

/// Counts the attributes of each start tag and the namespace declarations
/// of the whole text in one pass, before the parser (whose cost is
/// quadratic in both) sees it: over [`MAX_XML_ATTRIBUTES`] on one element
/// or [`MAX_XML_NAMESPACES`] in all, the file is refused.
pub(super) fn xml_prescan(text: &str) -> Result<(), ReadError> {
    let b = text.as_bytes();
    let line = |at: usize| memchr::memchr_iter(b'\n', &b[..at.min(b.len())]).count() + 1;
    let mut namespaces = 0usize;
    for (start, _) in tags(b).filter(|(start, _)| b.get(start + 1) != Some(&b'/')) {
        // A start tag: '=' outside quotes ends an attribute name.
        let mut attributes = 0usize;
        let tag = unquoted(b, start + 1).take_while(|(_, c)| *c != b'>');
        for (j, _) in tag.filter(|(_, c)| *c == b'=') {
            attributes += 1;
            if attributes > MAX_XML_ATTRIBUTES {
                return Err(ReadError::Attributes(line(start)));
            }
            let before = b[..j].trim_ascii_end();
            let cut =
                (before.iter()).rposition(|c| c.is_ascii_whitespace() || b"<=\"'".contains(c));
            let name = &before[cut.map_or(0, |s| s + 1)..];
            if name == b"xmlns" || name.starts_with(b"xmlns:") {
                namespaces += 1;
                if namespaces > MAX_XML_NAMESPACES {
                    return Err(ReadError::Namespaces(line(start)));
                }
            }
        }
    }
    Ok(())
}

pub(super) fn parse_xml(text: &str) -> Result<roxmltree::Document<'_>, ReadError> {
    xml_prescan(text)?;
    parse_options(text).map_err(|e| match e {
        roxmltree::Error::DtdDetected => ReadError::Dtd,
        roxmltree::Error::NodesLimitReached => ReadError::Nodes,
        other => ReadError::Xml(other.to_string()),
    })
}

/// The text parsed with check's options (no DTD, the nodes limit).
fn parse_options(text: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options)
}

/// The N:N relationships a data_schema.xml declares: (entity, relationship).
/// What a data_schema.xml declares: (entity, N:N relationship) and (entity, field).
#[derive(Debug, Default)]
pub(super) struct Schema {
    /// Entity -> its N:N relationships.
    relationships: HashMap<String, BTreeSet<String>>,
    /// Entity -> its fields, grouped once (D3).
    fields: HashMap<String, BTreeSet<String>>,
}

pub(super) fn schema_relationships(text: &str) -> Result<Schema, ReadError> {
    let doc = parse_xml(text).map_err(|e| ReadError::Schema(Box::new(e)))?;
    let mut out = Schema::default();
    let named = |n: roxmltree::Node<'_, '_>, tag: &str| {
        let name = n.attribute("name").filter(|_| n.has_tag_name(tag));
        name.map(str::to_string)
    };
    for entity in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("entity"))
    {
        let name = entity.attribute("name").unwrap_or("");
        let relationships = entity
            .descendants()
            .filter_map(|n| named(n, "relationship"));
        let fields = entity
            .children()
            .filter(|n| n.has_tag_name("fields"))
            .flat_map(|n| n.children())
            .filter_map(|n| named(n, "field"));
        let rels = out.relationships.entry(name.into()).or_default();
        rels.extend(relationships);
        out.fields.entry(name.into()).or_default().extend(fields);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture is read in pieces (the memory budget depends on it),
    /// each record of the whole document cut out once.
    #[test]
    fn a_cmt_data_xml_is_cut_into_its_records() {
        let text = include_str!("../../../tests/fixtures/check/cmt/data.xml");
        let pieces = Pieces::new(text).expect("cut in pieces");
        let doc = parse_xml(text).expect("parses whole");
        let records: Vec<usize> = doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("entity"))
            .map(|e| {
                e.children()
                    .find(|n| n.has_tag_name("records"))
                    .map_or(0, |r| {
                        r.children().filter(|n| n.has_tag_name("record")).count()
                    })
            })
            .collect();
        let cut: Vec<usize> = pieces.spans.iter().map(Vec::len).collect();
        assert_eq!(cut, records);
        assert!(records.iter().sum::<usize>() > 0);
    }

    /// A record that needs its ancestors (a namespace prefix declared above
    /// it), or text that is not XML, is left to the whole document's parse.
    #[test]
    fn a_record_that_does_not_parse_alone_leaves_the_document_whole() {
        let ns = r#"<entities xmlns:p="urn:x"><entity name="a"><records><record p:id="1"/></records></entity></entities>"#;
        assert!(parse_xml(ns).is_ok());
        assert!(Pieces::new(ns).is_none());
        let split =
            r#"<entities><entity name="a"><records>&am<record/>p;</records></entity></entities>"#;
        assert!(Pieces::new(split).is_none());
    }
}
