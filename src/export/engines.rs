//! The engines an archive can move to, and the file describing the index for each.

/// A distributed engine an archive can move to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Quickwit 0.9 (built on tantivy).
    Quickwit,
    /// OpenSearch 2, also Elasticsearch 8.
    OpenSearch,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Quickwit => "quickwit",
            Engine::OpenSearch => "opensearch",
        }
    }

    /// The file describing the index, written beside the documents.
    pub fn config_file(self) -> &'static str {
        match self {
            Engine::Quickwit => "index-config.yaml",
            Engine::OpenSearch => "mapping.json",
        }
    }

    /// Its contents.
    pub fn config(self) -> &'static str {
        match self {
            Engine::Quickwit => QUICKWIT_INDEX_CONFIG,
            Engine::OpenSearch => OPENSEARCH_MAPPING,
        }
    }
}

/// The Quickwit index configuration. Quickwit documents the `en_stem` tokenizer, but 0.9.0
/// built from its source has none (creating the index fails with "unknown tokenizer
/// `en_stem`"), so text uses `default`, which every build has.
const QUICKWIT_INDEX_CONFIG: &str = r#"# Quickwit index configuration for an archive exported by `dateline export --format quickwit`.
#
# Targets Quickwit 0.9. The file format version below, 0.8, is read by Quickwit 0.8 and 0.9.
#   quickwit index create --index-config index-config.yaml
#   quickwit index ingest --index dateline --input-path articles-00001.ndjson --force
#   (once per articles-*.ndjson file; or `quickwit tool local-ingest` without a server)
#
# Words are indexed with the `default` tokenizer (split on punctuation, lower-cased), not
# with `en_stem`: Quickwit documents `en_stem`, but Quickwit 0.9.0 built from its source has
# no stemming tokenizer and refuses to create the index ("unknown tokenizer `en_stem`").
# Counts for a date range or an entity key match dateline's exactly; plain words match the
# exact form only (`oil` finds "oil" but not "oils", which dateline's English stemming finds).
# Where your Quickwit build has `en_stem`, use it for `title` and `body`.
#
# `date` is the article's calendar day at 00:00 UTC. `entity_keys` holds each entity as
# "type:name" (person:Pete Hegseth, org:NATO, place:Brussels) for exact filters and terms
# aggregations; `entity_names` holds the names as words. `story` is the story id that
# near-copies share (16 hex digits; fast, to count stories or keep one hit per story with a
# terms aggregation). Fields not listed here (the
# `entities` objects, and any field later versions of dateline add) are indexed dynamically.
version: 0.8
index_id: dateline
doc_mapping:
  mode: dynamic
  timestamp_field: date
  field_mappings:
    - name: id
      type: text
      tokenizer: raw
    - name: path
      type: text
      indexed: false
      stored: true
    - name: date
      type: datetime
      input_formats: [rfc3339]
      output_format: rfc3339
      fast: true
      fast_precision: seconds
    - name: title
      type: text
      tokenizer: default
      record: position
      fieldnorms: true
    - name: body
      type: text
      tokenizer: default
      record: position
      fieldnorms: true
    - name: entity_keys
      type: array<text>
      tokenizer: raw
      fast: true
    - name: entity_names
      type: array<text>
      tokenizer: default
      record: position
    - name: url
      type: text
      indexed: false
    - name: source
      type: text
      tokenizer: raw
      fast: true
    - name: story
      type: text
      tokenizer: raw
      fast: true
search_settings:
  default_search_fields: [title, body]
"#;

/// The OpenSearch (and Elasticsearch 8) index mapping: the body of `PUT /dateline`.
const OPENSEARCH_MAPPING: &str = r#"{
  "mappings": {
    "dynamic": true,
    "properties": {
      "id": { "type": "keyword" },
      "path": { "type": "keyword", "index": false, "doc_values": false },
      "date": { "type": "date", "format": "strict_date_optional_time" },
      "title": { "type": "text", "analyzer": "english" },
      "body": { "type": "text", "analyzer": "english" },
      "entities": {
        "type": "nested",
        "properties": {
          "name": { "type": "keyword" },
          "type": { "type": "keyword" }
        }
      },
      "entity_keys": { "type": "keyword" },
      "entity_names": { "type": "text" },
      "url": { "type": "keyword", "index": false, "doc_values": false },
      "source": { "type": "keyword" },
      "story": { "type": "keyword" }
    }
  }
}
"#;
