"""The SAFETY.md rules, the screening questions and the prompter that asks them."""
