//! A Configuration Migration tool data.xml and its data_schema.xml.

use super::*;

/// N:N links of one entity: relationship name -> source id -> target ids.
type EntityLinks<'d> = BTreeMap<&'d str, BTreeMap<String, Vec<String>>>;

impl Reader {
    pub(super) fn read_xml(
        &mut self,
        index: usize,
        text: &str,
        schema: Option<&Schema>,
    ) -> Result<(), ReadError> {
        let doc = parse_xml(text)?;
        let root = doc.root_element();
        if root.tag_name().name() == "ImportExportXml" {
            return Err(ReadError::Solution);
        }
        if root.tag_name().name() != "entities" {
            return Err(ReadError::XmlRoot(short(root.tag_name().name())));
        }
        for entity in root.children().filter(|n| n.has_tag_name("entity")) {
            let records = entity.children().find(|n| n.has_tag_name("records"));
            if records.is_none() && entity.children().any(|n| n.has_tag_name("fields")) {
                return Err(ReadError::SchemaFile);
            }
            self.read_entity(index, entity, records, schema);
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
    ) {
        let name = entity.attribute("name").unwrap_or("");
        let Some(table) = Table::from_logical(name) else {
            let m = format!(
                "the entity '{}' is not a table check reads; ignored",
                short(name)
            );
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
        let provider_links = declared("msdyn_appconfig_msdyn_channelprovider");
        let user_links = declared("msdyn_appconfiguration_systemuser");
        // The columns exported: an absent one of these is empty (CMT
        // leaves out empty values). From the schema, or seen on any record.
        let mut exported = Exported {
            schema: schema.and_then(|s| s.fields.get(name)),
            seen: BTreeSet::new(),
        };
        for f in records.iter().flat_map(|r| r.descendants()) {
            if let Some(k) = f.attribute("name").filter(|_| f.has_tag_name("field")) {
                exported.seen.insert(k);
            }
        }
        let records = records.into_iter().flat_map(|r| r.children());
        for (n, record) in records.filter(|n| n.has_tag_name("record")).enumerate() {
            let mut fields = BTreeMap::new();
            for f in record.children().filter(|n| n.has_tag_name("field")) {
                if let (Some(k), Some(v)) = (f.attribute("name"), f.attribute("value")) {
                    fields.insert(k, v);
                }
            }
            let id = record
                .attribute("id")
                .map(guid)
                .or_else(|| fields.get(table.primary_id()).map(|v| guid(v)));
            let key = id.as_deref().unwrap_or_default();
            let extra = XmlLinks {
                exported: &exported,
                providers: provider_links
                    .then(|| take_links(&mut links, "msdyn_appconfig_msdyn_channelprovider", key)),
                users: user_links.then(|| {
                    take_links(&mut links, "msdyn_appconfiguration_systemuser", key).len()
                }),
            };
            self.read_record(index, table, id, n, &Source::Xml(&fields, extra));
            if self.too_many.is_some() {
                return;
            }
        }
    }
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
    if key.is_empty() {
        return Vec::new();
    }
    let targets = links.get_mut(rel).and_then(|m| m.remove(key));
    let link = |id| Link {
        id: Some(id),
        ..Link::default()
    };
    targets
        .map(|t| t.into_iter().map(link).collect())
        .unwrap_or_default()
}

/// Counts the attributes of each start tag and the namespace declarations
/// of the whole text in one pass, before the parser (whose cost is
/// quadratic in both) sees it: over [`MAX_XML_ATTRIBUTES`] on one element
/// or [`MAX_XML_NAMESPACES`] in all, the file is refused.
pub(super) fn xml_prescan(text: &str) -> Result<(), ReadError> {
    let b = text.as_bytes();
    let line = |at: usize| memchr::memchr_iter(b'\n', &b[..at.min(b.len())]).count() + 1;
    let skip_to = |from: usize, end: &[u8]| {
        memchr::memmem::find(&b[from..], end).map_or(b.len(), |p| from + p + end.len())
    };
    let mut namespaces = 0usize;
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let start = i + p;
        let rest = &b[start + 1..];
        if rest.starts_with(b"!--") {
            i = skip_to(start + 4, b"-->");
            continue;
        }
        if rest.starts_with(b"![CDATA[") {
            i = skip_to(start + 9, b"]]>");
            continue;
        }
        if rest.starts_with(b"?") {
            i = skip_to(start + 2, b"?>");
            continue;
        }
        if rest.starts_with(b"!") || rest.starts_with(b"/") {
            i = skip_to(start + 1, b">");
            continue;
        }
        // A start tag: '=' outside quotes ends an attribute name.
        let mut attributes = 0usize;
        let mut quote = None;
        let mut j = start + 1;
        while j < b.len() {
            let c = b[j];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    b'"' | b'\'' => quote = Some(c),
                    b'>' => break,
                    b'=' => {
                        attributes += 1;
                        if attributes > MAX_XML_ATTRIBUTES {
                            return Err(ReadError::Attributes(line(start)));
                        }
                        let name_end = b[..j]
                            .iter()
                            .rposition(|c| !c.is_ascii_whitespace())
                            .map_or(0, |e| e + 1);
                        let name_start = b[..name_end]
                            .iter()
                            .rposition(|c| c.is_ascii_whitespace() || b"<=\"'".contains(c))
                            .map_or(0, |s| s + 1);
                        let name = &b[name_start..name_end];
                        if name == b"xmlns" || name.starts_with(b"xmlns:") {
                            namespaces += 1;
                            if namespaces > MAX_XML_NAMESPACES {
                                return Err(ReadError::Namespaces(line(start)));
                            }
                        }
                    }
                    _ => {}
                },
            }
            j += 1;
        }
        i = j;
    }
    Ok(())
}

pub(super) fn parse_xml(text: &str) -> Result<roxmltree::Document<'_>, ReadError> {
    xml_prescan(text)?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => ReadError::Dtd,
        roxmltree::Error::NodesLimitReached => ReadError::Nodes,
        other => ReadError::Xml(other.to_string()),
    })
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
    for entity in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("entity"))
    {
        let name = entity.attribute("name").unwrap_or("").to_string();
        for rel in entity
            .descendants()
            .filter(|n| n.has_tag_name("relationship"))
        {
            if let Some(r) = rel.attribute("name") {
                out.relationships
                    .entry(name.clone())
                    .or_default()
                    .insert(r.to_string());
            }
        }
        for field in entity
            .children()
            .filter(|n| n.has_tag_name("fields"))
            .flat_map(|n| n.children())
            .filter(|n| n.has_tag_name("field"))
        {
            if let Some(f) = field.attribute("name") {
                out.fields
                    .entry(name.clone())
                    .or_default()
                    .insert(f.to_string());
            }
        }
    }
    Ok(out)
}
