//! Reading a query string into the shared [`Params`]: the API's half of the one parser.

use crate::params::{self, Params};
use crate::serve::errors::ApiError;

/// The parameters of `query` for an endpoint that takes the names in `accepted`.
///
/// An empty value counts as not given (what an HTML form sends for an empty field), except
/// for `q`, where it means every article. A name given twice is an error, except `entity`.
pub fn read(query: Option<&str>, accepted: &[&str]) -> Result<Params, ApiError> {
    let mut params = Params::default();
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if !accepted.contains(&name.as_ref()) {
            let reason = if accepted.is_empty() {
                "this endpoint takes no parameters".to_string()
            } else {
                format!("this endpoint takes {}", accepted.join(", "))
            };
            return Err(params::argument(&name, &name, &reason).into());
        }
        if value.is_empty() && name != "q" {
            continue;
        }
        if name != "entity" {
            if seen.iter().any(|given| *given == name) {
                return Err(params::argument(&name, &value, "given more than once").into());
            }
            seen.push(name.to_string());
        }
        params.set(&name, &value)?;
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[&str] = &params::NAMES;

    #[test]
    fn values_are_percent_decoded_and_entities_repeat() {
        let params = read(
            Some("q=%22oil+price%22&entity=OPEC&entity=Saudi%20Arabia&limit=3"),
            ALL,
        )
        .unwrap();
        assert_eq!(params.q, "\"oil price\"");
        assert_eq!(params.entity, ["OPEC", "Saudi Arabia"]);
        assert_eq!(params.limit, Some(3));
    }

    #[test]
    fn empty_values_are_absent_but_an_empty_query_is_everything() {
        let params = read(Some("q=&from=&sort=&limit="), ALL).unwrap();
        assert_eq!(
            params,
            Params {
                q: String::new(),
                ..Params::default()
            }
        );
    }

    #[test]
    fn unknown_and_repeated_names_are_bad_parameters() {
        for query in ["nhits=10", "q=a&q=b", "sort=newest&sort=oldest"] {
            let err = read(Some(query), ALL).unwrap_err();
            assert_eq!(err.code, "bad_parameter", "{query}");
        }
        assert_eq!(read(Some("q=a"), &[]).unwrap_err().code, "bad_parameter");
    }
}
