// The RecServe API as the page uses it: same-origin JSON requests, with every failure turned
// into an ApiError that carries the API's own code and message (SPEC.md, "Errors").

/** An answer that is not a success: `status` 0 means the API could not be reached at all. */
export class ApiError extends Error {
    constructor(status, code, message, details = {}) {
        super(message);
        this.name = 'ApiError';
        this.status = status;
        this.code = code;
        this.details = details;
    }

    /** 503 `no_model`: nothing is served yet (or an nginx 503 in front of an empty pool). */
    get isNoModel() {
        return this.status === 503 && this.code === 'no_model';
    }
}

/** What the page says while no model is loaded; the API's own message follows it. */
export const NO_MODEL_MESSAGE = 'No model is loaded yet.';

/**
 * Sends one request and returns the parsed JSON body of a 2xx answer. Throws ApiError for an
 * error answer (with the API's `error.code` and `error.message`, or a sentence built from the
 * status when the body is not the API's), for an unreadable body and when the API cannot be
 * reached; an aborted request throws the browser's AbortError unchanged.
 */
export async function apiRequest(path, { method = 'GET', body, signal } = {}) {
    const init = { method, signal, cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    let response;
    let text;
    try {
        response = await fetch(path, init);
        text = await response.text();
    } catch (error) {
        if (error.name === 'AbortError') throw error;
        throw new ApiError(0, 'network_error', 'The RecServe API cannot be reached. Is the server running?');
    }
    let data = null;
    try {
        data = text ? JSON.parse(text) : null;
    } catch {
        data = null;
    }
    if (!response.ok) {
        const error = data !== null && typeof data === 'object' && data.error !== null && typeof data.error === 'object' ? data.error : {};
        const code = typeof error.code === 'string' ? error.code : `http_${response.status}`;
        const message =
            typeof error.message === 'string' && error.message.trim() !== ''
                ? error.message
                : `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
        throw new ApiError(response.status, code, message, error);
    }
    if (data === null) throw new ApiError(response.status, 'invalid_response', 'The server sent an answer this page cannot read.');
    return data;
}

/** Whether `/api/health` says a model is served (200), as opposed to 503 or unreachable. */
export async function modelIsServed(signal) {
    try {
        const response = await fetch('/api/health', { cache: 'no-store', signal });
        return response.ok;
    } catch (error) {
        if (error.name === 'AbortError') throw error;
        return false;
    }
}

/** Search the catalogue: GET /api/movies?q=&limit= → [{id, title, year, genres, ratings}]. */
export async function searchMovies(query, limit, signal) {
    const params = new URLSearchParams({ q: query, limit: String(limit) });
    const data = await apiRequest(`/api/movies?${params}`, { signal });
    if (data === null || typeof data !== 'object' || !Array.isArray(data.movies)) throw unreadable();
    return data.movies
        .filter((movie) => movie !== null && typeof movie === 'object' && typeof movie.title === 'string')
        .map((movie) => ({
            id: Number.isInteger(movie.id) ? movie.id : null,
            title: movie.title,
            year: Number.isInteger(movie.year) ? movie.year : null,
            genres: Array.isArray(movie.genres) ? movie.genres.filter((genre) => typeof genre === 'string') : [],
            ratings: Number.isInteger(movie.ratings) ? movie.ratings : null,
        }));
}

/**
 * Recommendations for a new person: POST /api/predict with the titles and their ratings.
 * Returns [{title, rating}] in the API's order (descending estimated rating).
 */
export async function predict(titles, ratings, top, signal) {
    const data = await apiRequest('/api/predict', { method: 'POST', body: { movies: [titles, ratings], top }, signal });
    if (!Array.isArray(data) || data.length !== 2 || !Array.isArray(data[0]) || !Array.isArray(data[1]) || data[0].length !== data[1].length) {
        throw unreadable();
    }
    return data[0].map((title, index) => ({ title: String(title), rating: Number(data[1][index]) }));
}

/** The movies most similar to one: GET /api/similar by id (or by title). Returns [{id, title}]. */
export async function similarMovies(movie, count, signal) {
    const params = new URLSearchParams({ n: String(count) });
    if (Number.isInteger(movie.id)) params.set('movie_id', String(movie.id));
    else params.set('movie_name', movie.title);
    const data = await apiRequest(`/api/similar?${params}`, { signal });
    if (!Array.isArray(data) || data.length !== 2 || !Array.isArray(data[0]) || !Array.isArray(data[1]) || data[0].length !== data[1].length) {
        throw unreadable();
    }
    return data[0].map((id, index) => ({ id: Number.isInteger(id) ? id : null, title: String(data[1][index]) }));
}

/** The served model's summary (the `model` object of /api/info), or null with no model. */
export async function servedModel(signal) {
    const data = await apiRequest('/api/info', { signal });
    if (data === null || typeof data !== 'object') throw unreadable();
    return data.model !== null && typeof data.model === 'object' ? data.model : null;
}

function unreadable() {
    return new ApiError(200, 'invalid_response', 'The server sent an answer this page cannot read.');
}
