//! Who reads what: every input some job or shared view of the preview
//! read ([`Input`]), numbered, with its value as of the last refresh and
//! its readers. Jobs and shared views keep their reads as sorted lists of
//! numbers, so the index of a large site stays small; an input nobody
//! reads any more is forgotten (and a shared view's own reads with it), so
//! the index stays bounded however long the preview runs.

use std::collections::HashMap;

use crate::templates::views::Input;

/// The number of an input in the index.
pub(super) type InputId = u32;

/// The number of a job in the store.
pub(super) type JobId = u32;

/// Who reads an input: a job, or a shared view (by its input's number).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Reader {
    Job(JobId),
    Shared(InputId),
}

struct Entry {
    input: Input,
    /// `None` until it is worked out (just after the input is first read).
    value: Option<u64>,
    readers: Vec<Reader>,
    /// For a shared view: what it read.
    reads: Box<[InputId]>,
}

/// The index (see the module doc).
#[derive(Default)]
pub(super) struct Readers {
    ids: HashMap<Input, InputId>,
    entries: Vec<Option<Entry>>,
    free: Vec<InputId>,
    /// Inputs read for the first time since the last [`Readers::unvalued`].
    fresh: Vec<InputId>,
}

impl Readers {
    /// The number of `input`, if some job or shared view reads it.
    pub(super) fn id(&self, input: &Input) -> Option<InputId> {
        self.ids.get(input).copied()
    }

    /// The input numbered `id`.
    pub(super) fn input(&self, id: InputId) -> Option<&Input> {
        self.entry(id).map(|e| &e.input)
    }

    /// The value of input `id` as of the last refresh.
    pub(super) fn value(&self, id: InputId) -> Option<u64> {
        self.entry(id).and_then(|e| e.value)
    }

    /// Records the value of input `id`; whether it differs from the one
    /// recorded before.
    pub(super) fn set_value(&mut self, id: InputId, value: u64) -> bool {
        match self.entries.get_mut(id as usize).and_then(Option::as_mut) {
            Some(entry) => entry.value.replace(value) != Some(value),
            None => false,
        }
    }

    /// Who reads input `id`.
    pub(super) fn readers(&self, id: InputId) -> &[Reader] {
        self.entry(id).map(|e| e.readers.as_slice()).unwrap_or(&[])
    }

    /// Every input read, with its number.
    pub(super) fn all(&self) -> impl Iterator<Item = (InputId, &Input)> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(id, e)| Some((id as InputId, &e.as_ref()?.input)))
    }

    /// How many inputs are read, and how many (input, reader) pairs.
    pub(super) fn size(&self) -> (usize, usize) {
        let entries = self.entries.iter().flatten();
        (self.ids.len(), entries.map(|e| e.readers.len()).sum())
    }

    /// The inputs read for the first time since the last call, which have
    /// no value yet.
    pub(super) fn unvalued(&mut self) -> Vec<(InputId, Input)> {
        let fresh = std::mem::take(&mut self.fresh);
        fresh
            .into_iter()
            .filter_map(|id| {
                let entry = self.entry(id)?;
                entry.value.is_none().then(|| (id, entry.input.clone()))
            })
            .collect()
    }

    /// Makes `reader` read `new` instead of `old` (the numbers it read
    /// before, sorted); returns the numbers of `new`, sorted, each once.
    pub(super) fn replace(
        &mut self,
        reader: Reader,
        old: &[InputId],
        new: Vec<Input>,
    ) -> Box<[InputId]> {
        let mut ids: Vec<InputId> = new.into_iter().map(|input| self.number(input)).collect();
        ids.sort_unstable();
        ids.dedup();
        for &id in &ids {
            if old.binary_search(&id).is_err()
                && let Some(entry) = self.entries.get_mut(id as usize).and_then(Option::as_mut)
            {
                entry.readers.push(reader);
            }
        }
        let gone: Vec<InputId> = old
            .iter()
            .copied()
            .filter(|id| ids.binary_search(id).is_err())
            .collect();
        self.release(reader, &gone);
        ids.into_boxed_slice()
    }

    /// Makes shared view `id` read `reads` instead of what it read before.
    pub(super) fn set_shared_reads(&mut self, id: InputId, reads: Vec<Input>) {
        let Some(old) = self
            .entries
            .get_mut(id as usize)
            .and_then(Option::as_mut)
            .map(|e| std::mem::take(&mut e.reads))
        else {
            return;
        };
        let new = self.replace(Reader::Shared(id), &old, reads);
        if let Some(entry) = self.entries.get_mut(id as usize).and_then(Option::as_mut) {
            entry.reads = new;
        }
    }

    /// Removes `reader` from the readers of `ids`; an input left without
    /// readers is forgotten.
    pub(super) fn release(&mut self, reader: Reader, ids: &[InputId]) {
        for &id in ids {
            let Some(entry) = self.entries.get_mut(id as usize).and_then(Option::as_mut) else {
                continue;
            };
            if let Some(at) = entry.readers.iter().position(|r| *r == reader) {
                entry.readers.swap_remove(at);
            }
            if entry.readers.is_empty()
                && let Some(entry) = self.entries[id as usize].take()
            {
                self.ids.remove(&entry.input);
                self.free.push(id);
                // A shared view nobody shows reads nothing any more.
                self.release(Reader::Shared(id), &entry.reads);
            }
        }
    }

    /// The number of `input`, numbering it if it is new.
    fn number(&mut self, input: Input) -> InputId {
        if let Some(&id) = self.ids.get(&input) {
            return id;
        }
        let entry = Entry {
            input: input.clone(),
            value: None,
            readers: Vec::new(),
            reads: Box::default(),
        };
        let id = match self.free.pop() {
            Some(id) => {
                self.entries[id as usize] = Some(entry);
                id
            }
            None => {
                self.entries.push(Some(entry));
                (self.entries.len() - 1) as InputId
            }
        };
        self.ids.insert(input, id);
        self.fresh.push(id);
        id
    }

    fn entry(&self, id: InputId) -> Option<&Entry> {
        self.entries.get(id as usize).and_then(Option::as_ref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(lang: &str) -> Input {
        Input::Strings(lang.into())
    }

    #[test]
    fn inputs_nobody_reads_are_forgotten() {
        let mut index = Readers::default();
        let a = index.replace(Reader::Job(0), &[], vec![Input::Config, strings("de")]);
        let b = index.replace(Reader::Job(1), &[], vec![Input::Config]);
        let config = index.id(&Input::Config).unwrap();
        assert_eq!(index.readers(config).len(), 2);
        assert_eq!(index.unvalued().len(), 2);
        // Job 0 now reads only the English strings: German is forgotten.
        let a = index.replace(Reader::Job(0), &a, vec![strings("en")]);
        assert_eq!(index.id(&strings("de")), None);
        assert_eq!(index.readers(config), [Reader::Job(1)]);
        index.release(Reader::Job(0), &a);
        index.release(Reader::Job(1), &b);
        assert_eq!(index.size(), (0, 0));
    }

    #[test]
    fn a_shared_view_nobody_shows_releases_its_reads() {
        let mut index = Readers::default();
        let view = Input::SiteView("de".into(), "".into());
        let job = index.replace(Reader::Job(0), &[], vec![view.clone()]);
        let id = index.id(&view).unwrap();
        index.set_shared_reads(id, vec![Input::Config, strings("de")]);
        assert_eq!(index.size(), (3, 3));
        assert!(index.set_value(id, 7));
        assert!(!index.set_value(id, 7));
        index.release(Reader::Job(0), &job);
        assert_eq!(index.size(), (0, 0));
    }
}
