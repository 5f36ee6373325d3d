// An extension of the admin's rich-text editor (bulletin/sanitize.py lists it)
// for what Word, LibreOffice and Google Docs put on the clipboard:
// - headings stay headings: the editor offers h2 and h3, so a pasted h1
//   becomes h2 and h4-h6 become h3;
// - bold and italic written as styles (<span style="font-weight:700">, Google
//   Docs' <b style="font-weight:normal"> wrapper) become <strong>/<em> or nothing;
// - every style attribute and <style> block is dropped before the editor reads the HTML, so the
//   page's Content-Security-Policy has no inline style to refuse.
// The server does the same for HTML that reaches it another way (sanitize.py).
import { Extension, Plugin } from "django-prose-editor/editor"

const BOLD = /(^|;)\s*font-weight\s*:\s*(bold|[6-9]00)/i
const NOT_BOLD = /(^|;)\s*font-weight\s*:\s*(normal|[1-4]00)/i
const ITALIC = /(^|;)\s*font-style\s*:\s*italic/i
const RENAMED = { H1: "h2", H4: "h3", H5: "h3", H6: "h3" }

function wrapChildren(doc, element, tag) {
  const wrapper = doc.createElement(tag)
  while (element.firstChild) wrapper.appendChild(element.firstChild)
  element.appendChild(wrapper)
}

function unwrap(element) {
  element.replaceWith(...element.childNodes)
}

export function cleanPastedHTML(html) {
  // Styles in the text, never applied: a <template>'s content is inert.
  const template = document.createElement("template")
  template.innerHTML = html.replace(/<style[\s\S]*?<\/style>/gi, "").replace(/\sstyle\s*=\s*("[^"]*"|'[^']*')/gi, (match, value) => {
    const style = value.slice(1, -1)
    const marks = []
    if (BOLD.test(style)) marks.push("bold")
    if (NOT_BOLD.test(style)) marks.push("notbold")
    if (ITALIC.test(style)) marks.push("italic")
    return marks.length ? ` data-paste-marks="${marks.join(" ")}"` : ""
  })
  const root = template.content
  const doc = root.ownerDocument
  for (const element of [...root.querySelectorAll("[data-paste-marks]")]) {
    const marks = element.dataset.pasteMarks.split(" ")
    element.removeAttribute("data-paste-marks")
    if (element.tagName === "B" && marks.includes("notbold")) {
      unwrap(element)
      continue
    }
    if (marks.includes("italic")) wrapChildren(doc, element, "em")
    if (marks.includes("bold")) wrapChildren(doc, element, "strong")
  }
  for (const [from, to] of Object.entries(RENAMED)) {
    for (const element of [...root.querySelectorAll(from)]) {
      const renamed = doc.createElement(to)
      renamed.append(...element.childNodes)
      element.replaceWith(renamed)
    }
  }
  const out = document.createElement("div")
  out.appendChild(root)
  return out.innerHTML
}

export const PasteHeadings = Extension.create({
  name: "pasteHeadings",
  addProseMirrorPlugins() {
    return [new Plugin({ props: { transformPastedHTML: cleanPastedHTML } })]
  },
})
