// RecServe's web page: pick movies with the type-ahead, rate them, and see the recommendations,
// similar movies and the served model. Plain DOM; every text from the API goes in as text.

import { ApiError, NO_MODEL_MESSAGE, modelIsServed, predict, searchMovies, servedModel, similarMovies } from './api.js';
import { Combobox } from './combobox.js';
import { el, replaceChildren, srOnly } from './dom.js';

const STORAGE_KEY = 'recserve.ratings.v1';
const RECOMMENDATIONS = 10;
const SIMILAR = 10;
const SEARCH_LIMIT = 10;
const PREDICT_DELAY_MS = 300;
const HEALTH_RETRY_MS = 5000;
// The API accepts at most 500 rated movies (422 too_many_movies).
const MAX_PICKED = 500;

const $ = (id) => document.getElementById(id);
const ui = {
    banner: $('banner'),
    announcer: $('announcer'),
    search: $('search'),
    searchResults: $('search-results'),
    searchStatus: $('search-status'),
    picked: $('picked'),
    pickedEmpty: $('picked-empty'),
    clearAll: $('clear-all'),
    recsPanel: $('recs-panel'),
    recsStatus: $('recs-status'),
    recsProblem: $('recs-problem'),
    recs: $('recs'),
    dialog: $('similar-dialog'),
    similarHeading: $('similar-heading'),
    similarTitle: $('similar-title'),
    similarStatus: $('similar-status'),
    similarList: $('similar-list'),
    similarBack: $('similar-back'),
    similarAdd: $('similar-add'),
    modelInfo: $('model-info'),
};

/** The person's movies: {key, id (or null), title, rating (1-5 or null), year, genres}. */
let picked = [];
let nextKey = 1;
let noModel = false;

// ---------------------------------------------------------------------------------------------
// Messages

function announce(text) {
    // Cleared first so that the same sentence twice is announced twice.
    ui.announcer.textContent = '';
    setTimeout(() => {
        ui.announcer.textContent = text;
    }, 50);
}

/** The sentence the page shows for a failed request. */
function describeError(error) {
    if (error instanceof ApiError) {
        if (error.isNoModel) return `${NO_MODEL_MESSAGE} The API says: ${error.message}`;
        return capitalise(error.message);
    }
    console.error(error);
    return 'Something went wrong in this page. Reload it and try again.';
}

/** The API's messages are lower-case phrases: shown as a sentence. */
function capitalise(text) {
    const trimmed = String(text).trim();
    return trimmed.charAt(0).toUpperCase() + trimmed.slice(1) + (/[.!?]$/.test(trimmed) ? '' : '.');
}

/** Notes a 503 no_model (or its end) and polls /api/health until a model is served. */
function setNoModel(value) {
    if (value === noModel) return;
    noModel = value;
    ui.banner.hidden = !value;
    if (value) {
        replaceChildren(
            ui.banner,
            el('strong', { text: NO_MODEL_MESSAGE }),
            ' Recommendations appear once one is trained (rec-cli train) and the API reloads (POST /api/reload). This page checks again every few seconds.',
        );
        setTimeout(pollHealth, HEALTH_RETRY_MS);
    } else {
        announce('A model is loaded now.');
        loadModelInfo();
        schedulePredict(0);
    }
}

async function pollHealth() {
    if (!noModel) return;
    if (await modelIsServed()) setNoModel(false);
    else setTimeout(pollHealth, HEALTH_RETRY_MS);
}

function noteError(error) {
    if (error instanceof ApiError && error.isNoModel) setNoModel(true);
}

// ---------------------------------------------------------------------------------------------
// The picked movies, kept in localStorage so that a reload keeps them

function save() {
    try {
        const stored = picked.map(({ id, title, rating, year, genres }) => ({ id, title, rating, year, genres }));
        localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    } catch {
        // Storage may be full or disabled: the page still works, it just forgets on reload.
    }
}

function restore() {
    let stored;
    try {
        stored = JSON.parse(localStorage.getItem(STORAGE_KEY) || '[]');
    } catch {
        stored = [];
    }
    if (!Array.isArray(stored)) return [];
    return stored
        .filter((entry) => entry !== null && typeof entry === 'object' && typeof entry.title === 'string' && entry.title.length > 0 && entry.title.length <= 500)
        .slice(0, MAX_PICKED)
        .map((entry) => ({
            key: nextKey++,
            id: Number.isInteger(entry.id) ? entry.id : null,
            title: entry.title,
            rating: Number.isInteger(entry.rating) && entry.rating >= 1 && entry.rating <= 5 ? entry.rating : null,
            year: Number.isInteger(entry.year) ? entry.year : null,
            genres: Array.isArray(entry.genres) ? entry.genres.filter((genre) => typeof genre === 'string') : [],
        }));
}

function sameMovie(a, b) {
    return a.id !== null && b.id !== null ? a.id === b.id : a.title === b.title;
}

function movieDetail(movie) {
    const parts = [];
    if (movie.genres && movie.genres.length > 0) parts.push(movie.genres.join(', '));
    if (Number.isInteger(movie.ratings)) parts.push(`${movie.ratings.toLocaleString('en')} ratings`);
    return parts.join(' · ');
}

/** Adds a movie (from the search, or from the similar-movies view) and focuses its stars. */
function addMovie(movie, { focus = false } = {}) {
    const existing = picked.find((entry) => sameMovie(entry, movie));
    if (existing) {
        announce(`${existing.title} is already in your list.`);
        if (focus) focusStars(existing.key);
        return;
    }
    if (picked.length >= MAX_PICKED) {
        announce(`You can rate at most ${MAX_PICKED} movies.`);
        return;
    }
    const entry = { key: nextKey++, id: movie.id ?? null, title: movie.title, rating: null, year: movie.year ?? null, genres: movie.genres ?? [] };
    picked.unshift(entry);
    save();
    renderPicked();
    announce(`Added ${entry.title}. Rate it from 1 to 5 stars.`);
    if (focus) focusStars(entry.key);
}

function focusStars(key) {
    const item = ui.picked.querySelector(`[data-key="${key}"]`);
    const radio = item && (item.querySelector('input:checked') || item.querySelector('input[type="radio"]'));
    if (radio) radio.focus();
}

function setRating(key, rating) {
    const entry = picked.find((candidate) => candidate.key === key);
    if (!entry || entry.rating === rating) return;
    entry.rating = rating;
    save();
    schedulePredict();
}

function removeMovie(key) {
    const index = picked.findIndex((entry) => entry.key === key);
    if (index < 0) return;
    const [removed] = picked.splice(index, 1);
    save();
    renderPicked();
    announce(`Removed ${removed.title}.`);
    // Focus the next movie's Remove button, or the previous one's, or the search box.
    const buttons = ui.picked.querySelectorAll('.remove');
    (buttons[index] || buttons[index - 1] || ui.search).focus();
    schedulePredict();
}

function clearAll() {
    if (picked.length === 0) return;
    picked = [];
    save();
    renderPicked();
    announce('Removed every movie from your list.');
    ui.search.focus();
    schedulePredict(0);
}

function replaceTitle(key, title) {
    const entry = picked.find((candidate) => candidate.key === key);
    if (!entry) return;
    const duplicate = picked.find((candidate) => candidate !== entry && candidate.title === title);
    if (duplicate) {
        removeMovie(key);
        return;
    }
    Object.assign(entry, { id: null, title, year: null, genres: [] });
    save();
    renderPicked();
    announce(`Changed to ${title}.`);
    schedulePredict(0);
}

function starRating(entry) {
    const name = `rating-${entry.key}`;
    const fieldset = el(
        'fieldset',
        { className: 'stars', dataset: { value: String(entry.rating ?? 0) } },
        el('legend', { className: 'visually-hidden', text: `Your rating for ${entry.title}` }),
    );
    for (let value = 1; value <= 5; value += 1) {
        const id = `${name}-${value}`;
        const radio = el('input', {
            type: 'radio',
            id,
            name,
            value: String(value),
            checked: entry.rating === value,
            on: {
                change: () => {
                    fieldset.dataset.value = String(value);
                    const unrated = fieldset.parentElement && fieldset.parentElement.querySelector('.unrated');
                    if (unrated) unrated.remove();
                    setRating(entry.key, value);
                },
            },
        });
        const label = el(
            'label',
            { for: id, title: value === 1 ? '1 star' : `${value} stars` },
            el('span', { className: 'star', 'aria-hidden': 'true', text: '★' }),
            srOnly(value === 1 ? '1 star' : `${value} stars`),
        );
        fieldset.append(radio, label);
    }
    return fieldset;
}

function renderPicked() {
    const items = picked.map((entry) => {
        const detail = [entry.year, entry.genres.join(', ')].filter(Boolean).join(' · ');
        return el(
            'li',
            { className: 'picked-item', dataset: { key: String(entry.key) } },
            el(
                'div',
                { className: 'picked-text' },
                movieButton(entry),
                detail ? el('span', { className: 'movie-detail', text: detail }) : null,
                entry.rating === null ? el('span', { className: 'movie-detail unrated', text: 'Not rated yet' }) : null,
            ),
            starRating(entry),
            el('button', {
                type: 'button',
                className: 'remove',
                'aria-label': `Remove ${entry.title}`,
                title: 'Remove',
                text: 'Remove',
                on: { click: () => removeMovie(entry.key) },
            }),
        );
    });
    replaceChildren(ui.picked, items);
    ui.pickedEmpty.hidden = picked.length > 0;
    ui.clearAll.hidden = picked.length === 0;
}

/** A movie title that opens its similar movies. */
function movieButton(movie) {
    return el(
        'button',
        {
            type: 'button',
            className: 'movie-link',
            'aria-haspopup': 'dialog',
            on: { click: (event) => openSimilar({ id: movie.id ?? null, title: movie.title }, event.currentTarget) },
        },
        el('span', { className: 'movie-title', text: movie.title }),
        srOnly(' (similar movies)'),
    );
}

// ---------------------------------------------------------------------------------------------
// Recommendations: debounced, and only the newest request's answer is shown

let predictTimer = 0;
let predictSequence = 0;
let predictController = null;

function schedulePredict(delay = PREDICT_DELAY_MS) {
    clearTimeout(predictTimer);
    predictTimer = setTimeout(runPredict, delay);
}

async function runPredict() {
    predictSequence += 1;
    const sequence = predictSequence;
    if (predictController) predictController.abort();
    predictController = null;
    const rated = picked.filter((entry) => entry.rating !== null);
    replaceChildren(ui.recsProblem);
    ui.recsProblem.hidden = true;
    if (rated.length === 0) {
        replaceChildren(ui.recs);
        setRecsBusy(false);
        ui.recsStatus.textContent = picked.length === 0 ? 'Rate a movie to see recommendations.' : 'Give a movie some stars to see recommendations.';
        return;
    }
    const controller = new AbortController();
    predictController = controller;
    setRecsBusy(true);
    ui.recsStatus.textContent = 'Updating recommendations…';
    try {
        const list = await predict(
            rated.map((entry) => entry.title),
            rated.map((entry) => entry.rating),
            RECOMMENDATIONS,
            controller.signal,
        );
        if (sequence !== predictSequence) return; // a newer request is on its way
        renderRecs(list, rated.length);
        if (noModel) setNoModel(false);
    } catch (error) {
        if (error.name === 'AbortError' || sequence !== predictSequence) return;
        noteError(error);
        replaceChildren(ui.recs);
        ui.recsStatus.textContent = '';
        showRecsProblem(error, rated);
    } finally {
        if (sequence === predictSequence) {
            setRecsBusy(false);
            predictController = null;
        }
    }
}

function setRecsBusy(busy) {
    ui.recsPanel.setAttribute('aria-busy', busy ? 'true' : 'false');
    ui.recs.classList.toggle('stale', busy);
}

function renderRecs(list, ratedCount) {
    const items = list.map(({ title, rating }, index) =>
        el(
            'li',
            { className: 'rec' },
            el('span', { className: 'rank', 'aria-hidden': 'true', text: String(index + 1) }),
            movieButton({ id: null, title }),
            el(
                'span',
                { className: 'score', title: 'Estimated rating' },
                el('span', { className: 'star', 'aria-hidden': 'true', text: '★' }),
                srOnly('estimated rating '),
                el('span', { className: 'score-value', text: rating.toFixed(2) }),
                srOnly(' out of 5'),
            ),
        ),
    );
    replaceChildren(ui.recs, items);
    const from = ratedCount === 1 ? 'your rating' : `your ${ratedCount} ratings`;
    ui.recsStatus.textContent =
        list.length === 0 ? 'The model has nothing more to recommend.' : `${list.length} movies picked from ${from}, with the rating the model expects you to give.`;
}

/** The error of a predict, with the unknown titles' suggestions as buttons that fix them. */
function showRecsProblem(error, rated) {
    const children = [el('p', { className: 'problem-message', text: describeError(error) })];
    const details = error instanceof ApiError ? error.details : {};
    if (error instanceof ApiError && error.code === 'unknown_movie' && Array.isArray(details.unknown)) {
        const suggestions = details.suggestions !== null && typeof details.suggestions === 'object' ? details.suggestions : {};
        for (const unknown of details.unknown) {
            if (typeof unknown !== 'string') continue;
            const entry = rated.find((candidate) => candidate.title === unknown);
            const options = Array.isArray(suggestions[unknown]) ? suggestions[unknown].filter((title) => typeof title === 'string') : [];
            const row = el('div', { className: 'suggestion-row' }, el('span', { text: `“${unknown}”: ` }));
            if (options.length > 0) {
                row.append('did you mean ');
                for (const title of options) {
                    row.append(
                        el('button', {
                            type: 'button',
                            className: 'suggestion',
                            text: title,
                            'aria-label': `Use ${title} instead of ${unknown}`,
                            on: { click: () => entry && replaceTitle(entry.key, title) },
                        }),
                        ' ',
                    );
                }
            } else {
                row.append('no similar title is known. ');
            }
            if (entry) {
                row.append(
                    el('button', {
                        type: 'button',
                        className: 'suggestion secondary',
                        text: 'Remove it',
                        'aria-label': `Remove ${unknown}`,
                        on: { click: () => removeMovie(entry.key) },
                    }),
                );
            }
            children.push(row);
        }
    }
    replaceChildren(ui.recsProblem, children);
    // No model yet is a state to wait out, not a mistake: shown as a notice, not in red.
    ui.recsProblem.classList.toggle('notice', error instanceof ApiError && error.isNoModel);
    ui.recsProblem.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Similar movies, in a modal dialog (Escape closes it and focus returns to the opener)

let similarStack = [];
let similarOpener = null;
let similarSequence = 0;
let similarController = null;

function openSimilar(movie, opener) {
    similarOpener = opener || document.activeElement;
    similarStack = [movie];
    if (!ui.dialog.open) ui.dialog.showModal();
    showSimilar();
}

async function showSimilar() {
    const movie = similarStack[similarStack.length - 1];
    similarSequence += 1;
    const sequence = similarSequence;
    if (similarController) similarController.abort();
    const controller = new AbortController();
    similarController = controller;
    ui.similarTitle.textContent = movie.title;
    ui.similarBack.hidden = similarStack.length < 2;
    if (similarStack.length >= 2) ui.similarBack.textContent = `← Back to ${similarStack[similarStack.length - 2].title}`;
    const inList = picked.some((entry) => sameMovie(entry, movie));
    ui.similarAdd.disabled = inList;
    ui.similarAdd.textContent = inList ? 'In your ratings' : 'Add to my ratings';
    ui.similarList.classList.add('stale');
    ui.similarStatus.classList.remove('error');
    ui.similarStatus.textContent = 'Loading similar movies…';
    try {
        const list = await similarMovies(movie, SIMILAR, controller.signal);
        if (sequence !== similarSequence) return;
        replaceChildren(
            ui.similarList,
            list.map((similar) =>
                el(
                    'li',
                    {},
                    el(
                        'button',
                        {
                            type: 'button',
                            className: 'movie-link',
                            on: {
                                click: () => {
                                    similarStack.push(similar);
                                    showSimilar();
                                    ui.similarHeading.focus();
                                },
                            },
                        },
                        el('span', { className: 'movie-title', text: similar.title }),
                        srOnly(' (its similar movies)'),
                    ),
                ),
            ),
        );
        ui.similarStatus.textContent = list.length === 0 ? 'The model knows no similar movies for this one.' : `${list.length} movies that people rated alike.`;
    } catch (error) {
        if (error.name === 'AbortError' || sequence !== similarSequence) return;
        noteError(error);
        replaceChildren(ui.similarList);
        ui.similarStatus.textContent = describeError(error);
        ui.similarStatus.classList.add('error');
    } finally {
        if (sequence === similarSequence) {
            ui.similarList.classList.remove('stale');
            similarController = null;
        }
    }
}

function setUpDialog() {
    for (const button of ui.dialog.querySelectorAll('[data-close]')) button.addEventListener('click', () => ui.dialog.close());
    // A click on the backdrop (outside the dialog's box) closes it too.
    ui.dialog.addEventListener('click', (event) => {
        if (event.target === ui.dialog) ui.dialog.close();
    });
    ui.dialog.addEventListener('close', () => {
        similarSequence += 1;
        if (similarController) similarController.abort();
        const opener = similarOpener;
        similarOpener = null;
        // Back to what opened it; if that is gone (the list was redrawn), to the search box.
        if (opener && opener.isConnected) opener.focus();
        else if (!document.activeElement || document.activeElement === document.body) ui.search.focus();
    });
    ui.similarBack.addEventListener('click', () => {
        if (similarStack.length > 1) similarStack.pop();
        showSimilar();
        ui.similarHeading.focus();
    });
    ui.similarAdd.addEventListener('click', () => {
        const movie = similarStack[similarStack.length - 1];
        similarOpener = null;
        ui.dialog.close();
        addMovie(movie, { focus: true });
    });
}

// ---------------------------------------------------------------------------------------------
// The served model, in the footer

async function loadModelInfo() {
    try {
        const model = await servedModel();
        if (model === null) {
            replaceChildren(ui.modelInfo, el('p', { text: 'No model is loaded yet.' }));
            setNoModel(true);
            return;
        }
        const metrics = model.metrics !== null && typeof model.metrics === 'object' ? model.metrics : {};
        const rows = [
            ['Model generation', model.generation ?? '–'],
            ['Algorithm', model.algorithm ?? '–'],
            ['Validation RMSE', formatRmse(metrics.validation_rmse)],
            ['Test RMSE', formatRmse(metrics.test_rmse)],
            ['Trained', formatTime(model.trained_at)],
        ];
        replaceChildren(
            ui.modelInfo,
            el('dl', { className: 'facts' }, rows.map(([term, value]) => el('div', {}, el('dt', { text: term }), el('dd', {}, value)))),
        );
    } catch (error) {
        noteError(error);
        replaceChildren(ui.modelInfo, el('p', { className: 'error', text: `The served model is unknown: ${describeError(error)}` }));
    }
}

function formatRmse(value) {
    return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(4) : 'not evaluated';
}

function formatTime(value) {
    if (typeof value !== 'string' || value === '') return '–';
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return value;
    const text = date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
    return el('time', { datetime: value, title: value, text });
}

// ---------------------------------------------------------------------------------------------

function start() {
    picked = restore();
    renderPicked();
    new Combobox({
        input: ui.search,
        listbox: ui.searchResults,
        status: ui.searchStatus,
        search: async (query, signal) => {
            try {
                const movies = await searchMovies(query, SEARCH_LIMIT, signal);
                if (noModel) setNoModel(false);
                return movies;
            } catch (error) {
                noteError(error);
                throw error;
            }
        },
        describe: (movie) => ({ label: movie.title, detail: movieDetail(movie) }),
        onPick: (movie) => addMovie(movie),
        describeError,
    });
    ui.clearAll.addEventListener('click', clearAll);
    setUpDialog();
    loadModelInfo();
    schedulePredict(0);
    document.documentElement.dataset.ready = 'true';
}

start();
