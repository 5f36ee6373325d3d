// The admin's rich-text editor in the admin's language (bulletin/admin.py adds
// this extension to every editor). django-prose-editor translates its dialogs
// through window.gettext, Django's JavaScript catalogue (the admin's jsi18n,
// which also reads our locale/*/LC_MESSAGES/djangojs.po), but writes its
// toolbar's tooltips in English; this extension gives the toolbar buttons
// (title and aria-label) and the block-type menu's options their translations,
// including buttons the menu adds or copies later (the block-type menu shows a
// copy of the current block's button).
import { Extension } from "django-prose-editor/editor"

const gettext = window.gettext || ((text) => text)
const gettext_noop = (text) => text

// The English tooltips of django-prose-editor 0.28's toolbar (menu.js, link.js,
// table.js, code.js…), as it writes them.
export const TITLES = {
  "heading 1": gettext("Heading 1"),
  "heading 2": gettext("Heading 2"),
  "heading 3": gettext("Heading 3"),
  paragraph: gettext("Paragraph"),
  "unordered list": gettext("Bulleted list"),
  "ordered list": gettext("Numbered list"),
  blockquote: gettext("Quote"),
  "horizontal rule": gettext("Horizontal line"),
  figure: gettext("Image with caption"),
  bold: gettext("Bold"),
  italic: gettext("Italic"),
  underline: gettext("Underline"),
  strike: gettext("Strikethrough"),
  subscript: gettext("Subscript"),
  superscript: gettext("Superscript"),
  left: gettext("Align left"),
  center: gettext("Center"),
  right: gettext("Align right"),
  justify: gettext("Justify"),
  undo: gettext("Undo"),
  redo: gettext("Redo"),
  "edit HTML": gettext("Edit HTML"),
  "insert link": gettext("Insert link"),
  "remove link": gettext("Remove link"),
  "Insert table": gettext("Insert table"),
  "Add column": gettext("Add column"),
  "Delete column": gettext("Delete column"),
  "Add row": gettext("Add row"),
  "Delete row": gettext("Delete row"),
  "Merge cells": gettext("Merge cells"),
  "Split cell": gettext("Split cell"),
  "Toggle header cell": gettext("Toggle header cell"),
  "Delete table": gettext("Delete table"),
  Code: gettext("Code"),
  "Code block": gettext("Code block"),
  // The block-type menu's button when the cursor is in none of its types (a list, a table).
  question_mark: gettext("Block type"),
}

// The block-type menu's options.
const OPTIONS = {
  "Heading 1": gettext("Heading 1"),
  "Heading 2": gettext("Heading 2"),
  "Heading 3": gettext("Heading 3"),
  Paragraph: gettext("Paragraph"),
  "unordered list": gettext("Bulleted list"),
  "ordered list": gettext("Numbered list"),
  blockquote: gettext("Quote"),
  "horizontal rule": gettext("Horizontal line"),
  figure: gettext("Image with caption"),
}

// What django-prose-editor itself asks window.gettext for (its dialogs and a few
// buttons): listed so that makemessages keeps them in our djangojs.po, since the
// package ships no Belarusian or Russian catalogue.
export const PACKAGE_STRINGS = [
  gettext_noop("Add caption"), gettext_noop("Alternative Text"), gettext_noop("Browse..."),
  gettext_noop("Bullets"), gettext_noop("Cancel"), gettext_noop("Caption"),
  gettext_noop("Columns"), gettext_noop("Decimal numbers"), gettext_noop("Edit Figure"),
  gettext_noop("Edit HTML"), gettext_noop("Edit Image"), gettext_noop("Edit Link"),
  gettext_noop("Image URL"), gettext_noop("Include header row"),
  gettext_noop("Insert Figure"), gettext_noop("Insert Table"), gettext_noop("Insert"),
  gettext_noop("List properties"), gettext_noop("List type"),
  gettext_noop("Lowercase Roman numerals"), gettext_noop("Lowercase letters"),
  gettext_noop("Open in new window"), gettext_noop("Prettify"),
  gettext_noop("Remove caption"), gettext_noop("Rows"), gettext_noop("Start at"),
  gettext_noop("Table Properties"),
  gettext_noop("The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema."),
  gettext_noop("Title"), gettext_noop("Toggle fullscreen"), gettext_noop("URL"),
  gettext_noop("Update"), gettext_noop("Uppercase Roman numerals"),
  gettext_noop("Uppercase letters"),
]

function translateButton(element) {
  for (const name of ["title", "aria-label"]) {
    const english = element.getAttribute(name)
    if (english && Object.hasOwn(TITLES, english)) element.setAttribute(name, TITLES[english])
  }
}

function translateOption(option) {
  for (const child of option.children) {
    const english = child.textContent
    if (Object.hasOwn(OPTIONS, english)) child.textContent = OPTIONS[english]
  }
}

function translateTree(root) {
  if (!(root instanceof Element)) return
  for (const element of [root, ...root.querySelectorAll("[title], [aria-label]")]) {
    translateButton(element)
  }
  for (const option of root.querySelectorAll(".prose-menubar__option")) translateOption(option)
}

export const TranslatedMenus = Extension.create({
  name: "translatedMenus",
  // Last: the menu's own onCreate has built the toolbar by then.
  priority: 1,

  onCreate({ editor }) {
    const menu = editor.storage.menu
    if (!menu) return
    // The items' own buttons and options, also those shown only as copies.
    for (const item of Object.values(menu._definedItems || {})) {
      if (item.button) translateTree(item.button)
      if (item.option) translateTree(item.option)
    }
    if (!menu.dom) return
    translateTree(menu.dom)
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) translateTree(node)
      }
    }).observe(menu.dom, { childList: true, subtree: true })
  },
})
