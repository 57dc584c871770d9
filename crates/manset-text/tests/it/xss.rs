//! What the newsroom types as Markdown (raw HTML allowed) is rendered inert:
//! DOMPurify's 223 XSS vectors (`../shared/testdata/xss`), as bodies.

#[test]
fn xss_vectors_typed_into_a_body_come_out_inert() {
    let Some(payloads) = manset_testkit::xss_payloads() else { return };
    for payload in &payloads {
        let html = manset_text::markdown::to_safe_html(payload);
        // Bodies may show images; only what an image carries counts.
        let found: Vec<String> =
            manset_testkit::executable_content(&html).into_iter().filter(|f| !f.starts_with("element <img>")).collect();
        assert!(found.is_empty(), "payload {payload:?} gave {html:?}: {found:?}");
    }
}
