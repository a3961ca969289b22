// A step's screenshot: choosing or uploading an image offers the image's description as the alt text, as
// Wagtail's ImageBlock does, while an alt text the editor typed stays. Only a real description is offered (Wagtail's
// default_alt_text falls back to the title, which is usually a file name).
(function () {
  function described(data) {
    if (!data || !data.default_alt_text || data.default_alt_text === data.title) return "";
    return data.default_alt_text;
  }

  class ScreenshotBlockDefinition extends window.wagtailStreamField.blocks.StructBlockDefinition {
    render(placeholder, prefix, initialState, initialError) {
      const block = super.render(placeholder, prefix, initialState, initialError);
      const alt = document.getElementById(`${prefix}-alt`);
      const chooser = block.childBlocks.image.widget;
      let offered = "";
      if (alt && chooser && chooser.addEventListener) {
        chooser.addEventListener("chosen", (event) => {
          const description = described(event.detail);
          if (alt.value === "" || alt.value === offered) alt.value = description;
          offered = description;
        });
      }
      return block;
    }
  }

  window.telepath.register("tutorials.blocks.ScreenshotBlock", ScreenshotBlockDefinition);
})();
