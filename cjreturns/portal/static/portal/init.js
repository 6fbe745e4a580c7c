// Progressive enhancement only: every journey works without JavaScript.
import "./sgds/design-system.js";

window.DS.initAll();
