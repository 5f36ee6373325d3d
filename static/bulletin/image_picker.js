// The editor's image picker popup: hands the chosen image back to the editor
// that opened it (django-prose-editor's Figure dialog listens through the
// CKEDITOR.tools.callFunction convention), then closes.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".image-pick")
  if (!button) return
  const picker = document.querySelector(".image-picker")
  const opener = window.opener
  if (!opener || !opener.CKEDITOR) return
  opener.CKEDITOR.tools.callFunction(picker.dataset.funcNum, button.dataset.url, {
    id: button.dataset.id,
    alternative_text: button.dataset.alt,
    caption: button.dataset.caption,
  })
  window.close()
})
