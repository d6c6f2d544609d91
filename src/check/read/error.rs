//! Why a file cannot be read: the text after `export file 'PATH': `.

use super::{
    MAX_FILE_BYTES, MAX_RECORDS_PER_TABLE, MAX_XML_ATTRIBUTES, MAX_XML_NAMESPACES, MAX_XML_NODES,
    MAX_ZIP_ENTRIES,
};

/// What a reader expects, said after a refusal.
const EXPECTED: &str = "expected a Dataverse Web API response ({\"@odata.context\": ..., \"value\": [...]} or {\"entities\": [...]} from Xrm.WebApi) or a Configuration Migration tool data.xml or its zip";

/// The limit of [`MAX_FILE_BYTES`] in MiB.
const MIB: u64 = MAX_FILE_BYTES / (1024 * 1024);

/// Why a file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read standard input: {0}")]
    Stdin(String),
    #[error("cannot read it: {0}")]
    Unreadable(String),
    #[error("a folder with no .json, .xml or .zip file; give the exported files")]
    EmptyFolder,
    #[error("larger than the {} MiB limit of check; export only the tables and columns check reads (cif-advisor check --queries ORG_URL)", .0 / (1024 * 1024))]
    TooLarge(u64),
    /// The input layer's own message.
    #[error("{0}")]
    Input(String),
    #[error("UTF-32 text; save it as UTF-8 (Out-File -Encoding utf8)")]
    Utf32,
    #[error("UTF-16 text with an odd number of bytes (cut short?); save it again")]
    Utf16Odd,
    #[error("invalid UTF-16 text ({0}); save it again as UTF-8")]
    Utf16(String),
    #[error("not UTF-8 text (invalid byte at offset {0}) and no UTF-16 byte-order mark; save it as UTF-8 (Out-File -Encoding utf8)")]
    NotUtf8(usize),
    #[error("the file is empty; {EXPECTED}")]
    Empty,
    #[error("not JSON, XML or a zip; {EXPECTED}")]
    NotAnExport,
    #[error("more than {MAX_RECORDS_PER_TABLE} {0} records; check reads at most {MAX_RECORDS_PER_TABLE} of one table (an organisation has far fewer): export only the tables and columns check reads (cif-advisor check --queries ORG_URL)")]
    TooManyRecords(&'static str),
    #[error("a solution package (solution.xml, customizations.xml), not exported data: channel-provider records travel as data, not in a solution; export them with the Configuration Migration tool (give its data zip) or with the Web API requests of cif-advisor check --queries ORG_URL")]
    Solution,
    // ------------------------------------------------------------ JSON
    #[error("the JSON ends early (truncated?): {0}; {EXPECTED}")]
    JsonCut(String),
    #[error("not valid JSON: {0}; {EXPECTED}")]
    Json(String),
    #[error("an empty JSON array; {EXPECTED}")]
    EmptyArray,
    #[error("\"value\" is a JSON {0}, not an array of rows; {EXPECTED}")]
    ValueKind(&'static str),
    #[error("the rows were flattened to the text \"{0}\" by PowerShell's ConvertTo-Json (default depth 2); export again with ConvertTo-Json -Depth 5")]
    FlattenedValue(String),
    #[error("the rows were flattened to text (\"{0}\") by PowerShell's ConvertTo-Json (default depth 2); export again with ConvertTo-Json -Depth 5")]
    FlattenedRows(String),
    #[error("a JSON object with no \"value\" or \"entities\" array; {EXPECTED}")]
    NoRows,
    #[error(
        "two rows arrays in one response (a second '{0}'); give each response as it was saved"
    )]
    TwoRowsArrays(String),
    // ------------------------------------------------------------- XML
    #[error("XML whose root is <{0}>, not <entities>; {EXPECTED}")]
    XmlRoot(String),
    #[error("this is the schema file (data_schema.xml), not the data; give data.xml or the zip that holds both")]
    SchemaFile,
    #[error("an XML element with more than {MAX_XML_ATTRIBUTES} attributes at line {0}; refused (a Configuration Migration data.xml has fewer than ten per element)")]
    Attributes(usize),
    #[error("more than {MAX_XML_NAMESPACES} XML namespace declarations (xmlns), the last at line {0}; refused (a Configuration Migration data.xml declares two)")]
    Namespaces(usize),
    #[error("XML with a DTD (<!DOCTYPE ...>) is refused: check reads no DTD, so no external entity is fetched and no entity is expanded; a Configuration Migration data.xml has none")]
    Dtd,
    #[error("XML with more than {MAX_XML_NODES} nodes; refused")]
    Nodes,
    #[error("not valid XML ({0}); {EXPECTED}")]
    Xml(String),
    #[error("data_schema.xml: {0}")]
    Schema(Box<ReadError>),
    // ------------------------------------------------------------- zip
    #[error("a zip with {0} entries, more than the {MAX_ZIP_ENTRIES} check accepts (a Configuration Migration zip has three)")]
    ZipEntries(u64),
    #[error("not a readable zip ({0}); {EXPECTED}")]
    NotAZip(String),
    #[error("a damaged zip ({0})")]
    DamagedZip(String),
    #[error("a damaged zip entry ({0})")]
    DamagedEntry(String),
    #[error("the zip unpacks to more than the {MIB} MiB limit (entry '{0}'); refused as a possible zip bomb")]
    BombEntry(String),
    #[error("the zip unpacks to more than the {MIB} MiB limit; refused as a possible zip bomb")]
    Bomb,
    #[error("a zip with two {0} entries ('{1}' and '{2}'); give one export per zip")]
    TwoEntries(String, String, String),
    #[error("{0} is encrypted; export the data zip without a password")]
    Encrypted(String),
    #[error("{0} is compressed with {1}, which check does not read; zip it again with deflate (the default of most zip tools)")]
    Compression(String, String),
    #[error("a zip without data.xml; give the Configuration Migration tool's data zip (data.xml, data_schema.xml)")]
    NoData,
}

impl ReadError {
    /// A JSON parser's error: cut short, or not JSON.
    pub fn json(e: serde_json::Error) -> ReadError {
        if e.is_eof() {
            ReadError::JsonCut(e.to_string())
        } else {
            ReadError::Json(e.to_string())
        }
    }
}
