// Starts GOV.UK Frontend's components. Kept in a file, not inline, so a strict
// Content-Security-Policy can forbid inline scripts.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
