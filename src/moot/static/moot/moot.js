// moot's JavaScript entry point, loaded with <script type="module">.
// Pages work without it; it only enhances GOV.UK Frontend components
// (the mobile menu, error summary focus, character counts and so on).
import { initAll } from "./govuk-frontend.min.js";

initAll();
