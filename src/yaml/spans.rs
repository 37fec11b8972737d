//! Where every node of a YAML text stands. yaml_serde parses values but
//! keeps no positions; the YAML parser it runs on (`libyaml-rs`, libyaml
//! in Rust) reports every event with its start and end. This module reads
//! those events into a tree of spans shaped like the value, so an error
//! about `fields[2].allowed[1]` can point at that item. No third YAML
//! parser: the text is read by the same parser yaml_serde uses, after
//! yaml_serde has accepted it.

use std::mem::MaybeUninit;
use std::ops::Range;

use libyaml_rs as sys;

/// Where one YAML node stands, with the places of its children.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Located {
    /// Byte range of the node: a scalar's text (with its quotes), an
    /// alias's `*name`, a collection from its first character to its
    /// last; a node over several lines is shown by its first line.
    pub span: Range<usize>,
    /// Its children, in the order the text has them.
    pub inner: Inner,
}

/// The children of a [`Located`] node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Inner {
    /// A scalar or an alias (whose children are where its anchor is).
    #[default]
    Leaf,
    /// A sequence's items.
    Items(Vec<Located>),
    /// A mapping's entries: where each key stands, and its value.
    Entries(Vec<(Range<usize>, Located)>),
}

/// The spans of the first document in `text`, shifted by `offset` (where
/// `text` starts in its file). `None` if the parser fails, which does not
/// happen for a text yaml_serde has accepted.
pub(super) fn locate(text: &str, offset: usize) -> Option<Located> {
    let mut tree = TreeBuilder {
        text,
        open: Vec::new(),
        root: None,
    };
    for_each_event(text, |kind, span| tree.event(kind, span))?;
    let mut root = tree.root?;
    root.shift(offset);
    Some(root)
}

impl Located {
    /// Where `key` stands the second time in the mapping that starts at
    /// `mapping_start` (where the parser reports a duplicate key), found
    /// by the keys' text in `file_text`, with or without quotes.
    pub(crate) fn second_key(
        &self,
        file_text: &str,
        mapping_start: usize,
        key: &str,
    ) -> Option<Range<usize>> {
        match &self.inner {
            Inner::Leaf => None,
            Inner::Items(items) => items
                .iter()
                .find_map(|i| i.second_key(file_text, mapping_start, key)),
            Inner::Entries(entries) => {
                if self.span.start == mapping_start {
                    let mut same = entries.iter().map(|(k, _)| k).filter(|k| {
                        file_text
                            .get((*k).clone())
                            .is_some_and(|t| t.trim_matches(['"', '\'']) == key)
                    });
                    if let Some(second) = same.nth(1) {
                        return Some(second.clone());
                    }
                }
                entries
                    .iter()
                    .find_map(|(_, v)| v.second_key(file_text, mapping_start, key))
            }
        }
    }

    /// Moves the node and its children `offset` bytes on.
    fn shift(&mut self, offset: usize) {
        self.span = self.span.start + offset..self.span.end + offset;
        match &mut self.inner {
            Inner::Leaf => {}
            Inner::Items(items) => items.iter_mut().for_each(|i| i.shift(offset)),
            Inner::Entries(entries) => {
                for (key, value) in entries {
                    *key = key.start + offset..key.end + offset;
                    value.shift(offset);
                }
            }
        }
    }
}

/// The events this module tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Scalar,
    Alias,
    SequenceStart,
    MappingStart,
    End,
    DocumentEnd,
    Other,
}

/// A node being read: a collection whose end has not come yet.
#[derive(Debug)]
struct Open {
    start: usize,
    inner: Inner,
    /// In a mapping: the key read, waiting for its value.
    key: Option<Range<usize>>,
}

/// Builds the tree from events, with a stack of open collections (the
/// input's depth is bounded by [`super::MAX_NESTING`] before parsing).
struct TreeBuilder<'a> {
    text: &'a str,
    open: Vec<Open>,
    root: Option<Located>,
}

impl TreeBuilder<'_> {
    /// Takes one event (its byte range in the text); `false` once the
    /// first document is complete.
    fn event(&mut self, kind: Kind, span: Range<usize>) -> bool {
        match kind {
            Kind::Scalar | Kind::Alias => self.add(Located {
                span: span.start..first_line_end(self.text, span.start, span.end),
                inner: Inner::Leaf,
            }),
            Kind::SequenceStart | Kind::MappingStart => self.open.push(Open {
                start: span.start,
                inner: if kind == Kind::SequenceStart {
                    Inner::Items(Vec::new())
                } else {
                    Inner::Entries(Vec::new())
                },
                key: None,
            }),
            Kind::End => {
                if let Some(open) = self.open.pop() {
                    let end = first_line_end(self.text, open.start, span.end);
                    self.add(Located {
                        span: open.start..end,
                        inner: open.inner,
                    });
                }
            }
            Kind::DocumentEnd => return false,
            Kind::Other => {}
        }
        true
    }

    /// Adds a finished node to the collection it is in (as a key or a
    /// value in a mapping), or makes it the root.
    fn add(&mut self, node: Located) {
        let Some(parent) = self.open.last_mut() else {
            self.root.get_or_insert(node);
            return;
        };
        match &mut parent.inner {
            Inner::Items(items) => items.push(node),
            Inner::Entries(entries) => match parent.key.take() {
                None => parent.key = Some(node.span),
                Some(key) => entries.push((key, node)),
            },
            Inner::Leaf => {}
        }
    }
}

/// Where a node from `start` to `end` is shown in an error: to its
/// end if that is on the line it starts on, else to the end of that line
/// (without trailing spaces), so the caret stays on one line.
fn first_line_end(text: &str, start: usize, end: usize) -> usize {
    let end = end.max(start);
    match text[start..end].find(['\n', '\r']) {
        None => end,
        Some(i) => start + text[start..start + i].trim_end().len(),
    }
}

/// Runs libyaml's parser over `text`, calling `each` with every event's
/// kind and byte range until it returns `false` or the stream ends.
/// `Some(true)` when `each` stopped it or the stream ended, `None` when
/// the parser reported an error.
fn for_each_event(text: &str, mut each: impl FnMut(Kind, Range<usize>) -> bool) -> Option<bool> {
    let parser = Parser::new(text)?;
    loop {
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        // SAFETY: the parser is initialised and reads `text`, which
        // outlives it; a parsed event is read, then freed once.
        let (kind, span) = unsafe {
            if sys::yaml_parser_parse(parser.0, event.as_mut_ptr()).fail {
                return None;
            }
            let event = event.assume_init_mut();
            let kind = match event.type_ {
                sys::YAML_SCALAR_EVENT => Kind::Scalar,
                sys::YAML_ALIAS_EVENT => Kind::Alias,
                sys::YAML_SEQUENCE_START_EVENT => Kind::SequenceStart,
                sys::YAML_MAPPING_START_EVENT => Kind::MappingStart,
                sys::YAML_SEQUENCE_END_EVENT | sys::YAML_MAPPING_END_EVENT => Kind::End,
                sys::YAML_DOCUMENT_END_EVENT => Kind::DocumentEnd,
                sys::YAML_STREAM_END_EVENT => {
                    sys::yaml_event_delete(event);
                    return Some(true);
                }
                _ => Kind::Other,
            };
            let span = mark(event.start_mark, text)..mark(event.end_mark, text);
            sys::yaml_event_delete(event);
            (kind, span)
        };
        if !each(kind, span) {
            return Some(true);
        }
    }
}

/// A mark's byte offset, within `text`.
fn mark(mark: sys::yaml_mark_t, text: &str) -> usize {
    usize::try_from(mark.index)
        .unwrap_or(usize::MAX)
        .min(text.len())
}

/// libyaml's parser state, reading a borrowed text. It stays at one place
/// in memory (the parser points at itself), and is freed on drop.
struct Parser<'a>(*mut sys::yaml_parser_t, std::marker::PhantomData<&'a str>);

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Option<Parser<'a>> {
        let parser = Box::into_raw(Box::<sys::yaml_parser_t>::new_uninit()).cast();
        // SAFETY: `parser` is a fresh allocation of the right size, which
        // initialize fills; `text` outlives the parser (the lifetime).
        unsafe {
            if sys::yaml_parser_initialize(parser).fail {
                drop(Box::from_raw(
                    parser.cast::<MaybeUninit<sys::yaml_parser_t>>(),
                ));
                return None;
            }
            sys::yaml_parser_set_encoding(parser, sys::YAML_UTF8_ENCODING);
            sys::yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        }
        Some(Parser(parser, std::marker::PhantomData))
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        // SAFETY: the parser was initialised in `new` and is freed once.
        unsafe {
            sys::yaml_parser_delete(self.0);
            drop(Box::from_raw(
                self.0.cast::<MaybeUninit<sys::yaml_parser_t>>(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of a span.
    fn at(text: &str, span: &Range<usize>) -> String {
        text[span.clone()].to_string()
    }

    #[test]
    fn nested_nodes_have_their_spans() {
        let text = "title: A\nfields:\n  - name: a\n    allowed: [x, \"y\"]\n  - {name: b}\n";
        let root = locate(text, 0).unwrap();
        let Inner::Entries(entries) = &root.inner else {
            panic!("{root:?}")
        };
        assert_eq!(at(text, &entries[0].0), "title");
        assert_eq!(at(text, &entries[0].1.span), "A");
        assert_eq!(at(text, &entries[1].0), "fields");
        let Inner::Items(fields) = &entries[1].1.inner else {
            panic!("{root:?}")
        };
        let Inner::Entries(first) = &fields[0].inner else {
            panic!("{root:?}")
        };
        assert_eq!(at(text, &first[1].0), "allowed");
        assert_eq!(at(text, &first[1].1.span), "[x, \"y\"]");
        let Inner::Items(allowed) = &first[1].1.inner else {
            panic!("{root:?}")
        };
        assert_eq!(at(text, &allowed[1].span), "\"y\"");
        assert_eq!(at(text, &fields[1].span), "{name: b}");
        // A collection over several lines is shown by its first line.
        assert_eq!(at(text, &fields[0].span), "name: a");
        assert_eq!(at(text, &entries[1].1.span), "- name: a");
    }

    #[test]
    fn spans_are_shifted_by_the_offset_and_count_bytes() {
        let text = "ä: ö\n";
        let root = locate(text, 10).unwrap();
        let Inner::Entries(entries) = &root.inner else {
            panic!("{root:?}")
        };
        assert_eq!(entries[0].0, 10..12);
        assert_eq!(entries[0].1.span, 14..16);
    }

    #[test]
    fn aliases_are_leaves_and_invalid_yaml_gives_none() {
        let text = "a: &x [1, 2]\nb: *x\n";
        let root = locate(text, 0).unwrap();
        let Inner::Entries(entries) = &root.inner else {
            panic!("{root:?}")
        };
        assert_eq!(at(text, &entries[1].1.span), "*x");
        assert_eq!(entries[1].1.inner, Inner::Leaf);
        assert_eq!(locate("a: [1\n", 0), None);
        assert_eq!(locate("", 0), None);
    }
}
