//! Rules for the names we turn into HDF5 links.

use crate::output_error::{OutputError, Result};

/// A single link name: non-empty, ASCII letters, digits, `_`, `-`, `.`, not `.`/`..`.
pub(crate) fn check_link_name(name: &str) -> Result<()> {
    let bad = |reason: &str| {
        Err(OutputError::InvalidName {
            name: name.to_string(),
            reason: reason.to_string(),
        })
    };
    if name.is_empty() {
        return bad("empty");
    }
    if name == "." || name == ".." {
        return bad("reserved");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return bad("only ASCII letters, digits, '_', '-' and '.' are allowed");
    }
    Ok(())
}

/// A group path of one or more link names separated by `/` (no leading `/`).
pub(crate) fn check_group_path(path: &str) -> Result<()> {
    if path.is_empty() {
        return Err(OutputError::InvalidName {
            name: path.to_string(),
            reason: "empty group path".into(),
        });
    }
    path.split('/').try_for_each(check_link_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(check_link_name("gap").is_ok());
        assert!(check_link_name("capsule_volume").is_ok());
        assert!(check_link_name("a/b").is_err());
        assert!(check_link_name("").is_err());
        assert!(check_link_name("..").is_err());
        assert!(check_group_path("joint").is_ok());
        assert!(check_group_path("acoustics/air").is_ok());
        assert!(check_group_path("/joint").is_err());
    }
}
