"""The facts dun works with: records, state, calendar, amounts, settings, errors. Imports nothing of dun's."""
