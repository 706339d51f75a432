//! A plain table: headers and rows of cells in, aligned text or a Markdown
//! pipe table out.

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers; the first is left-aligned, the rest right.
    pub fn new(headers: &[&str]) -> Table {
        let headers = headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                (
                    h.to_string(),
                    if i == 0 { Align::Left } else { Align::Right },
                )
            })
            .collect();
        Table {
            headers,
            rows: Vec::new(),
        }
    }

    /// Align column `col` to the left (names, labels).
    pub fn left(mut self, col: usize) -> Table {
        if let Some(h) = self.headers.get_mut(col) {
            h.1 = Align::Left;
        }
        self
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.0.chars().count()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        widths
    }

    /// Columns padded to line up, two spaces apart, no trailing spaces.
    pub fn to_text(&self) -> String {
        let widths = self.widths();
        let mut out = String::new();
        let header: Vec<String> = self.headers.iter().map(|h| h.0.clone()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            for (i, ((_, align), w)) in self.headers.iter().zip(&widths).enumerate() {
                let cell = row.get(i).map(String::as_str).unwrap_or("");
                let pad = w.saturating_sub(cell.chars().count());
                if i > 0 {
                    line.push_str("  ");
                }
                match align {
                    Align::Left => {
                        line.push_str(cell);
                        line.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        line.push_str(&" ".repeat(pad));
                        line.push_str(cell);
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// A GitHub-flavoured Markdown table (pipes in cells escaped).
    pub fn to_markdown(&self) -> String {
        let escape = |s: &str| s.replace('|', "\\|");
        let mut out = String::from("|");
        for (h, _) in &self.headers {
            out.push_str(&format!(" {} |", escape(h)));
        }
        out.push_str("\n|");
        for (_, align) in &self.headers {
            out.push_str(match align {
                Align::Left => " --- |",
                Align::Right => " ---: |",
            });
        }
        out.push('\n');
        for row in &self.rows {
            out.push('|');
            for i in 0..self.headers.len() {
                out.push_str(&format!(
                    " {} |",
                    escape(row.get(i).map(String::as_str).unwrap_or(""))
                ));
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lines_up_and_markdown_escapes_pipes() {
        let mut t = Table::new(&["name", "count"]);
        t.row(vec!["a|b".into(), "1".into()]);
        t.row(vec!["longer".into(), "1,234".into()]);
        assert_eq!(t.to_text(), "name    count\na|b         1\nlonger  1,234\n");
        assert_eq!(
            t.to_markdown(),
            "| name | count |\n| --- | ---: |\n| a\\|b | 1 |\n| longer | 1,234 |\n"
        );
    }
}
