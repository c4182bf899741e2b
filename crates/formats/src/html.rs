//! Government article pages (政府网站文章页): the article body without the page around it, and
//! the title, publish date and canonical address the page gives.
//!
//! Pages are parsed with html5ever (through `scraper`). Scripts, styles, forms, navigation,
//! headers, footers, breadcrumbs, share bars and related-link lists are left out by element and
//! by class or id; the article is the content container the common government site systems
//! name (`#zoom`, `.TRS_Editor`, `#UCAP-CONTENT`, …), or else the deepest element holding most
//! of the page's Chinese text.

use regex::Regex;
use scraper::{ElementRef, Html, Node};
use std::sync::LazyLock;

use dafu_extract::decode::decode;

use crate::Published;
use crate::error::FormatError;
use crate::layout::{is_cjk, tidy_line};

/// Elements whose content is never article text.
const SKIPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside", "form",
    "iframe", "select", "button", "svg", "canvas", "object", "embed", "input", "textarea", "map",
];

/// Words in a class or id that mark page furniture (split on `-`, `_` and case changes).
const FURNITURE_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "menu",
    "header",
    "footer",
    "foot",
    "breadcrumb",
    "crumb",
    "crumbs",
    "position",
    "location",
    "share",
    "bdshare",
    "related",
    "relate",
    "sidebar",
    "copyright",
    "toolbar",
    "print",
    "comment",
    "pagination",
    "weixin",
    "qrcode",
    "ewm",
    "dqwz",
];

/// Ids and classes the common government site systems give the article body.
const CONTENT_NAMES: &[&str] = &[
    "zoom",
    "fontzoom",
    "ucap-content",
    "trs_editor",
    "trs_ueditor",
    "pages_content",
    "article-content",
    "article_content",
    "articlecontent",
    "art_content",
    "art_con",
    "artcon",
    "content",
    "detail-content",
    "detail_content",
    "news_content",
    "newscontent",
    "main-txt",
    "con_text",
    "wzxq",
    "view",
    "article",
    "txt",
    "text",
];

/// How lines of page furniture that sit inside article containers begin (发布时间：… 来源：…).
const FURNITURE_LINE_STARTS: &[&str] = &[
    "发布时间",
    "发布日期",
    "发表时间",
    "浏览次数",
    "访问次数",
    "阅读次数",
    "点击数",
    "来源：",
    "信息来源：",
    "字体：",
    "字号：",
    "【字体",
    "扫一扫",
    "分享到",
];

/// Buttons that sit inside article containers, wherever they are on the line.
const FURNITURE_BUTTONS: &[&str] = &["【打印", "【关闭", "打印本页", "关闭窗口"];

/// A line of page furniture, not of the reply: a reply's own sentence that mentions a
/// publication date (统一发布时间表) does not begin like this.
fn is_furniture_line(line: &str) -> bool {
    FURNITURE_LINE_STARTS.iter().any(|f| line.starts_with(f))
        || FURNITURE_BUTTONS.iter().any(|f| line.contains(f))
}

pub fn read(bytes: &[u8]) -> Result<Published, FormatError> {
    let decoded = decode(bytes)?;
    let page = Html::parse_document(&decoded.text);
    let root = page.root_element();
    // The walks below recurse into the tree: a page nested deeper than any real one is refused
    // before they run (it would exhaust the stack, which no error handling survives).
    let depth = nesting(root);
    if depth > MAX_DEPTH {
        return Err(FormatError::TooDeep {
            depth,
            max: MAX_DEPTH,
        });
    }
    let meta = PageMeta::of(root);

    let body = choose_article(root).ok_or(FormatError::NoArticle)?;
    let mut lines = Lines::default();
    lines.render(body, true);
    let mut text: Vec<String> = lines
        .finish()
        .into_iter()
        .filter(|l| !is_furniture_line(l))
        .collect();
    if text.iter().map(|l| cjk_count(l)).sum::<usize>() < 10 {
        return Err(FormatError::NoArticle);
    }
    // The title usually sits above the article container: it goes where the reply itself
    // prints it, after the letterhead (issuer, 文号) and before the salutation (…代表：).
    if let Some(title) = &meta.title {
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let inside = text
            .iter()
            .take(8)
            .any(|l| squeeze(l).contains(&squeeze(title)));
        if !inside {
            let salutation = text
                .iter()
                .take(6)
                .position(|l| l.chars().count() <= 30 && l.ends_with(['：', ':']));
            text.insert(salutation.unwrap_or(0), title.clone());
        }
    }
    // The publish date: from the page's meta tags, else as the page prints it.
    let published = meta.published.clone().or_else(|| {
        let mut all = Lines::default();
        all.render(root, false);
        all.finish().iter().find_map(|l| printed_publish_date(l))
    });
    Ok(Published {
        text: text.join("\n"),
        title: meta.title,
        published,
        source_url: meta.source_url,
        encoding: decoded.encoding,
    })
}

/// The deepest nesting of elements a page may have (real pages stay under 60).
const MAX_DEPTH: usize = 500;

/// How deep the page's elements nest, counted without recursion.
fn nesting(root: ElementRef) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for edge in root.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ego_tree::iter::Edge::Close(_) => depth = depth.saturating_sub(1),
        }
    }
    deepest
}

fn cjk_count(s: &str) -> usize {
    s.chars().filter(|&c| is_cjk(c)).count()
}

/// The Chinese characters under an element, leaving out what is never article text.
fn element_cjk(el: ElementRef) -> usize {
    let mut n = 0;
    for child in el.children() {
        match child.value() {
            Node::Text(t) => n += cjk_count(t),
            Node::Element(_) => {
                if let Some(e) = ElementRef::wrap(child)
                    && !is_furniture(e)
                {
                    n += element_cjk(e);
                }
            }
            _ => {}
        }
    }
    n
}

fn is_furniture(el: ElementRef) -> bool {
    let e = el.value();
    if SKIPPED_ELEMENTS.contains(&e.name()) {
        return true;
    }
    if e.attr("hidden").is_some()
        || e.attr("style")
            .is_some_and(|s| s.replace(' ', "").contains("display:none"))
    {
        return true;
    }
    let names = e.id().into_iter().chain(e.classes());
    names.into_iter().any(|name| {
        name.split(|c: char| c == '-' || c == '_' || c.is_ascii_digit())
            .any(|w| FURNITURE_WORDS.contains(&w.to_ascii_lowercase().as_str()))
    })
}

/// The element holding the article: a known content container, or the deepest element with
/// most of the page's text.
fn choose_article(root: ElementRef) -> Option<ElementRef> {
    let body = root
        .children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "body")
        .unwrap_or(root);
    let mut known = Vec::new();
    collect_known(body, &mut known);
    if let Some(max) = known.iter().map(|&(_, n)| n).max().filter(|&n| n >= 20) {
        // Nested containers (an `.article` wrapping the heading, the date line and `#zoom`):
        // the innermost that still holds most of the text. Pre-order puts the inner one after
        // the outer.
        return known
            .into_iter()
            .filter(|&(_, n)| n * 10 >= max * 7)
            .map(|(e, _)| e)
            .next_back();
    }
    let mut at = body;
    let mut total = element_cjk(at);
    if total == 0 {
        return None;
    }
    loop {
        let next = at
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| !is_furniture(*e))
            .map(|e| (e, element_cjk(e)))
            .find(|&(_, n)| n * 10 >= total * 7);
        match next {
            Some((e, n)) => (at, total) = (e, n),
            None => return Some(at),
        }
    }
}

fn collect_known<'a>(el: ElementRef<'a>, out: &mut Vec<(ElementRef<'a>, usize)>) {
    for child in el.children().filter_map(ElementRef::wrap) {
        if is_furniture(child) {
            continue;
        }
        let e = child.value();
        let named = e
            .id()
            .into_iter()
            .chain(e.classes())
            .any(|n| CONTENT_NAMES.contains(&n.to_ascii_lowercase().as_str()))
            || e.name() == "article";
        if named {
            out.push((child, element_cjk(child)));
        }
        collect_known(child, out);
    }
}

/// Block elements: each starts a new line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "tbody"
            | "thead"
            | "tr"
            | "blockquote"
            | "pre"
            | "center"
            | "address"
            | "figure"
            | "figcaption"
            | "hr"
            | "body"
            | "html"
    )
}

/// The lines of text an element shows.
#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    current: String,
}

impl Lines {
    fn render(&mut self, el: ElementRef, skip_furniture: bool) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.current.push_str(t),
                Node::Element(e) => {
                    let Some(child_el) = ElementRef::wrap(child) else {
                        continue;
                    };
                    let name = e.name();
                    if name == "br" {
                        self.break_line();
                        continue;
                    }
                    let skip = if skip_furniture {
                        is_furniture(child_el)
                    } else {
                        matches!(name, "script" | "style" | "noscript" | "template")
                    };
                    if skip {
                        continue;
                    }
                    let block = is_block(name);
                    if block {
                        self.break_line();
                    }
                    self.render(child_el, skip_furniture);
                    if matches!(name, "td" | "th") {
                        self.current.push('\t');
                    }
                    if block {
                        self.break_line();
                    }
                }
                _ => {}
            }
        }
    }

    fn break_line(&mut self) {
        let line = tidy_line(&self.current);
        if !line.is_empty() {
            self.lines.push(line);
        }
        self.current.clear();
    }

    fn finish(mut self) -> Vec<String> {
        self.break_line();
        self.lines
    }
}

/// What a page says about itself in its `<head>` (and its first heading).
#[derive(Debug, Default)]
struct PageMeta {
    title: Option<String>,
    published: Option<String>,
    source_url: Option<String>,
}

impl PageMeta {
    fn of(root: ElementRef) -> PageMeta {
        let (mut article_title, mut og_title, mut page_title, mut h1) = (None, None, None, None);
        let (mut published, mut canonical, mut og_url) = (None, None, None);
        for node in root.descendants() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            let e = el.value();
            let content = || e.attr("content").map(tidy_line).filter(|s| !s.is_empty());
            match e.name() {
                "meta" => {
                    let key = e
                        .attr("name")
                        .or_else(|| e.attr("property"))
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    match key.as_str() {
                        "articletitle" => article_title = article_title.or_else(content),
                        "og:title" => og_title = og_title.or_else(content),
                        "pubdate"
                        | "publishdate"
                        | "firstpublishedtime"
                        | "publishtime"
                        | "article:published_time"
                        | "dc.date" => {
                            published = published.or_else(|| content().and_then(|c| iso_date(&c)))
                        }
                        "og:url" | "url" => og_url = og_url.or_else(content),
                        _ => {}
                    }
                }
                "link"
                    if e.attr("rel")
                        .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
                {
                    canonical =
                        canonical.or_else(|| e.attr("href").map(str::trim).map(String::from));
                }
                "title" if page_title.is_none() => {
                    page_title = Some(site_suffix_removed(&tidy_line(
                        &el.text().collect::<String>(),
                    )));
                }
                "h1" if h1.is_none() => {
                    let t = tidy_line(&el.text().collect::<String>());
                    if cjk_count(&t) >= 4 {
                        h1 = Some(t);
                    }
                }
                _ => {}
            }
        }
        let web = |u: &String| u.starts_with("http://") || u.starts_with("https://");
        PageMeta {
            title: article_title
                .or(og_title)
                .or(h1)
                .or(page_title)
                .filter(|t| cjk_count(t) >= 4),
            published,
            source_url: canonical.filter(web).or(og_url.filter(web)),
        }
    }
}

/// A page's `<title>` without the site name after the last `_`, `|` or ` - `.
fn site_suffix_removed(title: &str) -> String {
    for sep in ["_", "|", " - ", "－", "——"] {
        if let Some((head, _)) = title.rsplit_once(sep)
            && cjk_count(head) >= 4
        {
            return head.trim().to_string();
        }
    }
    title.to_string()
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
        .unwrap_or_else(|e| panic!("date pattern: {e}"))
});

/// The first date in `s`, as `YYYY-MM-DD`, if it is a real calendar date.
fn iso_date(s: &str) -> Option<String> {
    let c = DATE.captures(s)?;
    let (y, m, d): (i32, u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    let ok = (1949..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    ok.then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// `发布时间：2023-06-15 09:30` as the page prints it.
fn printed_publish_date(line: &str) -> Option<String> {
    let at = ["发布时间", "发布日期", "发表时间", "公开日期", "发文日期"]
        .iter()
        .filter_map(|k| line.find(k).map(|i| i + k.len()))
        .min()?;
    iso_date(line[at..].get(..40.min(line.len() - at))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        format!(
            "<html><head><title>关于加强社区养老服务的建议的答复_某市民政局</title>\
             <script>var a = '脚本里的中文不该出现';</script></head><body>{body}</body></html>"
        )
    }

    #[test]
    fn the_article_is_found_without_the_page_around_it() {
        let html = page(
            "<div class=\"top-nav\"><a>首页</a><a>政务公开</a><a>互动交流</a></div>\
             <div class=\"main\"><div class=\"crumb\">当前位置：首页 &gt; 建议提案</div>\
             <div id=\"zoom\"><p>　　王芳委员：</p><p>您提出的关于加强社区养老服务的提案收悉，现答复如下。</p>\
             <p>我局将于2024年底前新建社区养老服务站20家。</p>\
             <table><tr><td>项目</td><td>数量</td></tr><tr><td>养老服务站</td><td>20</td></tr></table></div>\
             <div class=\"bdshare\">分享到微信</div></div>\
             <div class=\"footer\">主办单位：某市民政局</div>",
        );
        let p = read(html.as_bytes()).expect("article");
        assert_eq!(
            p.text,
            "关于加强社区养老服务的建议的答复\n王芳委员：\n\
             您提出的关于加强社区养老服务的提案收悉，现答复如下。\n\
             我局将于2024年底前新建社区养老服务站20家。\n项目\t数量\n养老服务站\t20"
        );
        assert_eq!(p.title.as_deref(), Some("关于加强社区养老服务的建议的答复"));
        assert_eq!(p.encoding, "UTF-8");
    }

    #[test]
    fn without_a_known_container_the_densest_element_is_the_article() {
        let html = page(
            "<ul class=\"list\"><li>链接一</li><li>链接二</li></ul>\
             <div><div><p>您提出的关于加强社区养老服务的提案收悉。</p>\
             <p>我局将于2024年底前新建社区养老服务站20家，并完善居家养老服务补贴制度。</p></div>\
             <p>发布时间：2023年6月5日</p></div>",
        );
        let p = read(html.as_bytes()).expect("article");
        assert!(p.text.contains("新建社区养老服务站20家"), "{}", p.text);
        assert!(!p.text.contains("链接一"), "{}", p.text);
        assert!(!p.text.contains("脚本"), "{}", p.text);
        assert_eq!(p.published.as_deref(), Some("2023-06-05"));
    }

    #[test]
    fn furniture_lines_go_and_reply_sentences_about_dates_stay() {
        assert!(is_furniture_line(
            "发布时间：2023-06-15 来源：某局 浏览次数：12"
        ));
        assert!(is_furniture_line("来源：某市民政局 发布日期：2023-06-15"));
        assert!(is_furniture_line("【打印本页】 【关闭窗口】"));
        assert!(!is_furniture_line(
            "我局将统一发布时间表，并公开浏览次数较多的政策解读。"
        ));
    }

    #[test]
    fn a_page_nested_beyond_reason_is_refused_not_a_stack_overflow() {
        let html = page(&format!(
            "{}<p>您提出的关于加强社区养老服务的提案收悉，现答复如下。</p>{}",
            "<div>".repeat(3_000),
            "</div>".repeat(3_000)
        ));
        assert!(matches!(
            read(html.as_bytes()),
            Err(FormatError::TooDeep { .. })
        ));
    }

    #[test]
    fn a_page_without_article_text_is_refused() {
        let html = page("<nav>首页 政务公开</nav><div class=\"footer\">版权所有</div>");
        assert_eq!(read(html.as_bytes()), Err(FormatError::NoArticle));
    }

    #[test]
    fn dates_are_read_as_the_page_writes_them() {
        assert_eq!(iso_date("2023-6-15 09:30"), Some("2023-06-15".into()));
        assert_eq!(iso_date("2023年06月15日"), Some("2023-06-15".into()));
        assert_eq!(iso_date("2023-13-15"), None);
        assert_eq!(
            printed_publish_date("发布时间：2023-06-15 09:30 来源：某局"),
            Some("2023-06-15".into())
        );
        assert_eq!(
            site_suffix_removed("关于某某建议的答复 - 某市人民政府"),
            "关于某某建议的答复"
        );
    }
}
