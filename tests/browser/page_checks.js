// What the browser tests measure inside a page; helpers.py calls these by name.
({
  // "tag#id[name=…][href=…].class", enough to find the element in the template.
  describe(el) {
    let text = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
    if (el.name) text += "[name=" + el.name + "]";
    if (el.htmlFor) text += "[for=" + el.htmlFor + "]";
    if (el.getAttribute("href")) text += "[href=" + el.getAttribute("href") + "]";
    if (typeof el.className === "string" && el.className.trim()) {
      text += "." + el.className.trim().split(/\s+/).join(".");
    }
    return text;
  },

  // The focused element and whether a person can see that it has the focus.
  focused() {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== "none" && style.boxShadow !== "";
    const rect = el.getBoundingClientRect();
    return {
      description: this.describe(el),
      visible: outline || shadow,
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      boxShadow: style.boxShadow,
      onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0
        && rect.top < window.innerHeight,
      isSkipLink: el.matches(".skip-link"),
    };
  },

  // The page's width against the viewport's, and what sticks out on the right.
  overflow() {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const culprits = [];
    if (scrollWidth > width) {
      for (const el of document.body.querySelectorAll("*")) {
        const rect = el.getBoundingClientRect();
        if (rect.width && rect.right > width + 1 && !el.closest(".sluss-visually-hidden")) {
          culprits.push(this.describe(el) + " right=" + Math.round(rect.right));
        }
      }
    }
    return { scrollWidth, width, culprits: culprits.slice(0, 8) };
  },

  // Labels, hints, errors, headings and buttons that are not wholly visible.
  cutOffText() {
    const problems = [];
    const width = window.innerWidth;
    const selector = "label, legend, .sluss-hint, .sluss-error-message, h1, h2, h3, button";
    for (const el of document.querySelectorAll(selector)) {
      if (!el.getClientRects().length || el.closest(".sluss-visually-hidden, [hidden]")) continue;
      const rect = el.getBoundingClientRect();
      const name = this.describe(el) + " " + JSON.stringify(el.textContent.trim().slice(0, 40));
      if (rect.left < -1 || rect.right > width + 1) {
        problems.push(name + " is outside the viewport");
      }
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
        problems.push(name + " is cut off inside its own box");
      }
      for (let parent = el.parentElement; parent && parent !== document.body;
        parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX === "visible" && style.overflowY === "visible") continue;
        const box = parent.getBoundingClientRect();
        if (rect.left < box.left - 1 || rect.right > box.right + 1
          || rect.top < box.top - 1 || rect.bottom > box.bottom + 1) {
          problems.push(name + " is clipped by " + this.describe(parent));
        }
      }
    }
    return problems;
  },
})
