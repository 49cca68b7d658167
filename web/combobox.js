// A type-ahead search box in the ARIA 1.2 combobox pattern: an <input role="combobox"> that
// owns a listbox popup. Focus stays in the input; aria-activedescendant names the option that
// ArrowDown/ArrowUp move to, Enter picks it, Escape closes the list (or clears the text when it
// is already closed). Requests are debounced, and an answer to an older query is dropped.

import { el, replaceChildren } from './dom.js';

export class Combobox {
    /**
     * @param {object} options
     * @param {HTMLInputElement} options.input   the <input role="combobox">
     * @param {HTMLElement} options.listbox      the <ul role="listbox"> it controls
     * @param {HTMLElement} options.status       a polite live region for counts and errors
     * @param {(query: string, signal: AbortSignal) => Promise<object[]>} options.search
     * @param {(item: object) => {label: string, detail: string}} options.describe
     * @param {(item: object) => void} options.onPick
     * @param {(error: Error) => string} options.describeError
     * @param {number} [options.delay]           debounce in milliseconds
     */
    constructor({ input, listbox, status, search, describe, onPick, describeError, delay = 150 }) {
        Object.assign(this, { input, listbox, status, search, describe, onPick, describeError, delay });
        this.items = [];
        this.active = -1;
        this.sequence = 0;
        this.timer = 0;
        this.controller = null;
        this.idPrefix = `${listbox.id}-option-`;
        input.addEventListener('input', () => this.schedule());
        input.addEventListener('keydown', (event) => this.onKeyDown(event));
        input.addEventListener('blur', () => this.close());
        input.addEventListener('focus', () => {
            if (this.items.length > 0 && this.input.value.trim() !== '') this.open();
        });
        // Picking with the pointer must not blur the input first (which closes the list).
        listbox.addEventListener('mousedown', (event) => event.preventDefault());
        listbox.addEventListener('click', (event) => {
            const option = event.target.closest('[role="option"]');
            if (option) this.pick(Number(option.dataset.index));
        });
    }

    get isOpen() {
        return !this.listbox.hidden;
    }

    schedule() {
        // Whatever is in flight answers a query that is no longer typed: drop it now, not only
        // when the debounced request starts.
        this.cancel();
        const query = this.input.value.trim();
        if (query === '') {
            this.setItems([]);
            this.setStatus('');
            return;
        }
        this.timer = setTimeout(() => this.run(query), this.delay);
    }

    cancel() {
        clearTimeout(this.timer);
        this.sequence += 1;
        if (this.controller) this.controller.abort();
        this.controller = null;
        this.input.removeAttribute('aria-busy');
    }

    async run(query) {
        this.cancel();
        const sequence = this.sequence;
        const controller = new AbortController();
        this.controller = controller;
        this.input.setAttribute('aria-busy', 'true');
        try {
            const items = await this.search(query, controller.signal);
            if (sequence !== this.sequence) return; // a newer query was typed meanwhile
            this.setItems(items);
            if (items.length === 0) {
                this.setStatus(`No movie matches “${query}”.`);
            } else {
                const count = items.length === 1 ? '1 movie matches' : `${items.length} movies match`;
                this.setStatus(`${count}. Use the up and down arrow keys to choose, Enter to add.`);
            }
            if (document.activeElement === this.input) this.open();
        } catch (error) {
            if (error.name === 'AbortError' || sequence !== this.sequence) return;
            this.setItems([]);
            this.setStatus(this.describeError(error), true);
        } finally {
            if (sequence === this.sequence) {
                this.input.removeAttribute('aria-busy');
                this.controller = null;
            }
        }
    }

    setStatus(text, isError = false) {
        this.status.textContent = text;
        this.status.classList.toggle('error', isError);
    }

    setItems(items) {
        this.items = items;
        this.active = -1;
        this.input.removeAttribute('aria-activedescendant');
        const options = items.map((item, index) => {
            const { label, detail } = this.describe(item);
            return el(
                'li',
                { id: this.idPrefix + index, role: 'option', 'aria-selected': 'false', className: 'option', dataset: { index: String(index) } },
                el('span', { className: 'option-title', text: label }),
                detail ? el('span', { className: 'option-detail', text: detail }) : null,
            );
        });
        replaceChildren(this.listbox, options);
        if (items.length === 0) this.close();
    }

    open() {
        if (this.items.length === 0) return;
        this.listbox.hidden = false;
        this.input.setAttribute('aria-expanded', 'true');
    }

    close() {
        this.listbox.hidden = true;
        this.input.setAttribute('aria-expanded', 'false');
        this.setActive(-1);
    }

    setActive(index) {
        const options = this.listbox.children;
        if (this.active >= 0 && options[this.active]) {
            options[this.active].setAttribute('aria-selected', 'false');
            options[this.active].classList.remove('active');
        }
        this.active = index;
        if (index >= 0 && options[index]) {
            options[index].setAttribute('aria-selected', 'true');
            options[index].classList.add('active');
            options[index].scrollIntoView({ block: 'nearest' });
            this.input.setAttribute('aria-activedescendant', options[index].id);
        } else {
            this.input.removeAttribute('aria-activedescendant');
        }
    }

    move(step) {
        if (this.items.length === 0) return;
        if (!this.isOpen) this.open();
        const count = this.items.length;
        let next;
        if (this.active < 0) next = step > 0 ? 0 : count - 1;
        else next = (this.active + step + count) % count;
        this.setActive(next);
    }

    pick(index) {
        const item = this.items[index];
        if (!item) return;
        this.cancel();
        this.close();
        this.input.value = '';
        this.setItems([]);
        this.setStatus('');
        this.onPick(item);
    }

    onKeyDown(event) {
        if (event.altKey && event.key === 'ArrowDown') {
            this.open();
            event.preventDefault();
            return;
        }
        switch (event.key) {
            case 'ArrowDown':
                this.move(1);
                event.preventDefault();
                break;
            case 'ArrowUp':
                this.move(-1);
                event.preventDefault();
                break;
            case 'Enter':
                if (this.isOpen && this.active >= 0) {
                    this.pick(this.active);
                    event.preventDefault();
                }
                break;
            case 'Escape':
                if (this.isOpen) {
                    this.close();
                } else if (this.input.value !== '') {
                    this.input.value = '';
                    this.schedule();
                }
                event.preventDefault();
                break;
            case 'Tab':
                this.close();
                break;
            default:
                break;
        }
    }
}
