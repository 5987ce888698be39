#!/bin/sh
# English is the language of the source strings: its catalogue maps each message to itself.
# Every translation is emptied first (fuzzy guesses included), then set to its msgid.
# Run after `make makemessages`.
set -e
po=locale/en/LC_MESSAGES/django.po
msgattrib --clear-fuzzy --empty --no-obsolete "$po" | msgfilter --keep-header sed -e d | msgen - | sed 's/^"Language: \\n"$/"Language: en\\n"/' > "$po.tmp"
mv "$po.tmp" "$po"
