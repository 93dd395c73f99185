//! JSON Schemas: of the record format, generated from the record model ([`crate::schema`]),
//! and of the report and of diagnostics, derived from their types with schemars.
//! `docs/schema/*.schema.json` are these outputs; a test keeps the files in sync.

use crate::schema::{self, Struct, Ty, STRUCTS};
use serde_json::{json, Map, Value};

fn ty_schema(ty: Ty) -> Value {
    match ty {
        Ty::Str => json!({"type": ["string", "integer"]}),
        Ty::Int => json!({"type": "integer"}),
        Ty::Num => json!({"type": "number"}),
        Ty::Bool => json!({"type": "boolean"}),
        Ty::Date => {
            json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
        }
        Ty::Enum(v) => json!({"enum": v}),
        Ty::Ref(e) => json!({"type": ["string", "integer"], "x-pms-ref": e}),
        Ty::List(t) => json!({"type": "array", "items": ty_schema(*t)}),
        Ty::Obj(n) => json!({"$ref": format!("#/$defs/{n}")}),
    }
}

fn struct_schema(s: &Struct) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in s.fields {
        let mut fs = ty_schema(f.ty);
        if let Value::Object(m) = &mut fs {
            m.insert("description".into(), Value::String(f.doc.to_string()));
        }
        if !f.required {
            fs = json!({"anyOf": [fs, {"type": "null"}]});
        }
        props.insert(f.name.to_string(), fs);
        if f.required {
            required.push(f.name);
        }
    }
    let mut out = json!({
        "type": "object",
        "title": format!("{} ({})", s.name, s.name_ja),
        "additionalProperties": false,
        "required": required,
        "properties": props,
    });
    // Alternative keys (`finding_id | incident_id`): at least one of them, with a value.
    let groups: Vec<Value> = schema::ALTERNATIVES
        .iter()
        .filter(|(e, ..)| s.entity && *e == s.name)
        .map(|(_, group, _)| {
            Value::Array(
                group
                    .iter()
                    .map(
                        |g| json!({"required": [g], "properties": {*g: {"not": {"type": "null"}}}}),
                    )
                    .collect(),
            )
        })
        .collect();
    if let (Value::Object(m), false) = (&mut out, groups.is_empty()) {
        let all: Vec<Value> = groups.into_iter().map(|g| json!({"anyOf": g})).collect();
        m.insert("allOf".into(), Value::Array(all));
    }
    out
}

/// The JSON Schema (draft 2020-12) of a record set document.
#[must_use]
pub fn records_schema() -> Value {
    records_schema_with(&schema::Extensions::none())
}

/// [`records_schema`] with the extension fields a program declares (`extend …`): each
/// extended entity lists its declared fields too, and their nested objects are defined.
#[must_use]
pub fn records_schema_with(extensions: &schema::Extensions) -> Value {
    let mut defs = Map::new();
    let mut props = Map::new();
    props.insert("$schema".into(), json!({"type": "string"}));
    for s in STRUCTS {
        defs.insert(s.name.to_string(), struct_schema(s));
    }
    for (_, s) in extensions.entities() {
        defs.insert(s.name.to_string(), struct_schema(s));
        extension_objects(s, &mut defs);
    }
    for e in schema::entities() {
        props.insert(
            e.name.to_string(),
            json!({"type": "array", "items": {"$ref": format!("#/$defs/{}", e.name)}}),
        );
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://pms.invalid/schema/records.schema.json",
        "title": "pms record set",
        "description": "A company's Privacy Mark / JIS Q 15001 records: one list per entity. Ids are unique across the set.",
        "type": "object",
        "additionalProperties": false,
        "properties": props,
        "$defs": defs,
    })
}

/// The JSON Schema of a [`crate::Report`] (the output of `pms check --format json`).
#[must_use]
pub fn report_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(crate::Report)).unwrap_or(Value::Null)
}

/// The JSON Schema of a list of [`crate::Diagnostic`]s (what hosts receive on bad input).
#[must_use]
pub fn diagnostics_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(Vec<crate::Diagnostic>)).unwrap_or(Value::Null)
}

/// Defines the nested objects of extension fields (registered structs) used by `s`.
fn extension_objects(s: &Struct, defs: &mut Map<String, Value>) {
    fn walk(ty: Ty, defs: &mut Map<String, Value>) {
        match ty {
            Ty::List(t) => walk(*t, defs),
            Ty::Obj(name) if !defs.contains_key(name) => {
                if let Some(o) = schema::find_struct(name) {
                    defs.insert(name.to_string(), struct_schema(o));
                    for f in o.fields {
                        walk(f.ty, defs);
                    }
                }
            }
            _ => {}
        }
    }
    for f in s.fields {
        walk(f.ty, defs);
    }
}
