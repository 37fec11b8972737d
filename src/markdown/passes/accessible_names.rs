//! Accessible names the Markdown adds: a table scrolls in a focusable,
//! labelled region, so keyboard users can scroll a wide one too (WCAG
//! 2.1.1), and a task list's checkbox says whether the task is done (WCAG
//! 4.1.2). The names are UI strings of the page's language.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Events;
use crate::text::escape_html;

/// Labels task boxes and wraps tables, in place.
pub(crate) fn run(
    events: &mut Events<'_>,
    lang: &str,
    ui_string: &(dyn Fn(&str, &str) -> String + Sync),
) {
    let mut tables = 0;
    for (event, _) in events.iter_mut() {
        match event {
            Event::TaskListMarker(done) => {
                let key = if *done { "task.done" } else { "task.open" };
                let label = escape_html(&ui_string(lang, key));
                let checked = if *done { " checked" } else { "" };
                *event = Event::Html(CowStr::from(format!(
                    "<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> "
                )));
            }
            Event::Start(Tag::Table(_)) => tables += 1,
            _ => {}
        }
    }
    if tables == 0 {
        return;
    }
    let label = escape_html(&ui_string(lang, "table.label"));
    let open = format!(
        "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\">"
    );
    // Two events more per table: the events from the last table on move
    // to their new places, back to front; those before the first stay.
    let len = events.len();
    let gap = || (Event::SoftBreak, 0..0);
    events.resize_with(len + 2 * tables, gap);
    let mut write = events.len();
    for read in (0..len).rev() {
        if write == read {
            break;
        }
        let (event, range) = std::mem::replace(&mut events[read], gap());
        let starts = matches!(event, Event::Start(Tag::Table(_)));
        if matches!(event, Event::End(TagEnd::Table)) {
            write -= 1;
            events[write] = (Event::Html(CowStr::from("</div>\n")), range.clone());
        }
        write -= 1;
        events[write] = (event, range.clone());
        if starts {
            write -= 1;
            events[write] = (Event::Html(CowStr::from(open.clone())), range);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::passes::test_support::{events, html};

    fn named(text: &str) -> String {
        let mut events = events(text);
        run(&mut events, "de", &|lang, key| {
            format!("{lang}:{key} <\"&\">")
        });
        html(events)
    }

    #[test]
    fn tables_scroll_in_a_labelled_region() {
        assert_eq!(
            named("|a|b|\n|-|:-:|\n|1|2|\n"),
            "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"de:table.label &lt;&quot;&amp;&quot;&gt;\">\
             <table><thead><tr><th>a</th><th style=\"text-align: center\">b</th></tr></thead><tbody>\n\
             <tr><td>1</td><td style=\"text-align: center\">2</td></tr>\n</tbody></table>\n</div>\n"
        );
    }

    #[test]
    fn every_table_of_a_page_is_wrapped_and_the_rest_keeps_its_order() {
        let region = "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" \
                      aria-label=\"de:table.label &lt;&quot;&amp;&quot;&gt;\">";
        assert_eq!(
            named("Vorher\n\n|a|\n|-|\n|1|\n\nZwischen\n\n|b|\n|-|\n\nNachher\n"),
            format!(
                "<p>Vorher</p>\n{region}<table><thead><tr><th>a</th></tr></thead><tbody>\n\
                 <tr><td>1</td></tr>\n</tbody></table>\n</div>\n<p>Zwischen</p>\n\
                 {region}<table><thead><tr><th>b</th></tr></thead><tbody>\n</tbody></table>\n</div>\n<p>Nachher</p>\n"
            )
        );
    }

    #[test]
    fn task_boxes_say_whether_the_task_is_done() {
        assert_eq!(
            named("- [x] done\n- [ ] open\n- plain\n"),
            "<ul>\n\
             <li><input type=\"checkbox\" disabled checked aria-label=\"de:task.done &lt;&quot;&amp;&quot;&gt;\"> done</li>\n\
             <li><input type=\"checkbox\" disabled aria-label=\"de:task.open &lt;&quot;&amp;&quot;&gt;\"> open</li>\n\
             <li>plain</li>\n</ul>\n"
        );
    }
}
