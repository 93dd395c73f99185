//! How deep a JavaScript value nests, measured without recursion before it is converted
//! (the conversion recurses once per level, and a value that contains itself never ends).

use pms_core::limits::MAX_RECORD_NESTING;
use wasm_bindgen::{JsCast, JsValue};

/// The JSON pointer of the first object or array nested deeper than
/// [`MAX_RECORD_NESTING`] (a value that contains itself always is), if any.
pub(crate) fn too_deep(value: &JsValue) -> Option<String> {
    let mut stack: Vec<(JsValue, usize, String)> = vec![(value.clone(), 0, String::new())];
    while let Some((v, depth, pointer)) = stack.pop() {
        if depth > MAX_RECORD_NESTING {
            return Some(pointer);
        }
        if js_sys::Array::is_array(&v) {
            let items: js_sys::Array = v.unchecked_into();
            for (i, x) in items.iter().enumerate() {
                if x.is_object() {
                    stack.push((x, depth + 1, format!("{pointer}/{i}")));
                }
            }
        } else if let Some(obj) = v.dyn_ref::<js_sys::Object>() {
            for key in js_sys::Object::keys(obj).iter() {
                let x = js_sys::Reflect::get(obj, &key).unwrap_or(JsValue::UNDEFINED);
                if x.is_object() {
                    let k = key.as_string().unwrap_or_default();
                    let k = k.replace('~', "~0").replace('/', "~1");
                    stack.push((x, depth + 1, format!("{pointer}/{k}")));
                }
            }
        }
    }
    None
}
